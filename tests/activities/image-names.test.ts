import { describe, expect, it } from 'vitest';
import { imageReferences, parseImageReference, sanitizeTag } from '../../domain/image-name';

const sha = '3f2c1ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3';

describe('imageReferences', () => {
  it('puts the sha tag first, then the sanitized branch', () => {
    expect(
      imageReferences({ registryHost: 'harbor.example.com', project: 'team', name: 'api', sha, branch: 'feature/x' }),
    ).toEqual([`harbor.example.com/team/api:${sha}`, 'harbor.example.com/team/api:feature-x']);
  });

  it('adds the monorepo prefix and the git tag of a tag push', () => {
    expect(
      imageReferences({
        registryHost: '127.0.0.1:5055',
        project: 'library',
        prefix: 'kiwi-',
        name: 'backend',
        sha,
        tag: 'v1.2.0',
      }),
    ).toEqual([`127.0.0.1:5055/library/kiwi-backend:${sha}`, '127.0.0.1:5055/library/kiwi-backend:v1.2.0']);
  });

  it('tags merge and pull request builds mr-<iid> / pr-<n> and the sha, never with the branch they come from', () => {
    const base = { registryHost: 'r.io', project: 'team', name: 'api', sha, branch: 'main' };
    expect(imageReferences({ ...base, pullRequestNumber: 12 })).toEqual([
      `r.io/team/api:${sha}`,
      'r.io/team/api:pr-12',
    ]);
    expect(imageReferences({ ...base, mergeRequestIid: 4 })).toEqual([`r.io/team/api:${sha}`, 'r.io/team/api:mr-4']);
  });

  it('makes names valid OCI repository names', () => {
    const [ref] = imageReferences({ registryHost: 'https://Reg.io/', project: 'My Team', name: 'Web__App!', sha });
    expect(ref).toBe(`Reg.io/my-team/web-app:${sha}`);
  });

  it('drops a branch tag identical to another tag and refuses an unusable sha', () => {
    expect(imageReferences({ registryHost: 'r', project: 'p', name: 'n', sha: 'abc', branch: 'abc' })).toEqual([
      'r/p/n:abc',
    ]);
    expect(() => imageReferences({ registryHost: 'r', project: 'p', name: 'n', sha: '...' })).toThrow(/cannot be used/);
  });
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/x', 'feature-x'],
    ['release/2024.1', 'release-2024.1'],
    ['-leading', 'leading'],
    ['.hidden', 'hidden'],
    ['a'.repeat(200), 'a'.repeat(128)],
    ['üñí/çødé', 'd'],
    ['fix/ümlaut', 'fix-mlaut'],
  ])('%j → %j', (input, output) => {
    expect(sanitizeTag(input)).toBe(output);
  });
});

it('parseImageReference splits host, repository and tag', () => {
  expect(parseImageReference('127.0.0.1:5055/team/app:v1')).toEqual({
    host: '127.0.0.1:5055',
    repository: 'team/app',
    tag: 'v1',
  });
});
