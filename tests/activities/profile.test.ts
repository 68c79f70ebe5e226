import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../detect';
import {
  buildProfileResources,
  buildProfilesMarkdown,
  sizedBuildProfiles,
  chooseBuildProfile,
} from '../../domain/build-profile';

const single = (language: DetectionResult['language'], framework: string | null = null) => ({
  language,
  framework,
  buildType: 'single' as const,
  subprojects: [],
});
const mono = (count: number, language: DetectionResult['language'] = 'Node.js') => ({
  language,
  framework: null,
  buildType: 'mono' as const,
  subprojects: Array.from({ length: count }, (_, i) => ({
    name: `s${i}`,
    path: `s${i}`,
    dockerfilePath: `s${i}/Dockerfile`,
    language,
    framework: null,
  })),
});

describe('chooseBuildProfile', () => {
  it.each([
    ['a static site', single('Static'), 'small'],
    ['an unrecognised project', single(null), 'small'],
    ['a Go API', single('Go', 'Gin'), 'medium'],
    ['an Express API', single('Node.js', 'Express'), 'medium'],
    ['a Django app', single('Python', 'Django'), 'medium'],
    ['a React frontend', single('Node.js', 'React'), 'large'],
    ['a Next.js app', single('Node.js', 'Next.js'), 'large'],
    ['a Spring Boot service', single('Java', 'Spring Boot'), 'extra-large'],
    ['a Rust service', single('Rust'), 'extra-large'],
    ['a small Node monorepo', mono(2), 'large'],
    ['a Java monorepo', mono(3, 'Java'), '2x-large'],
    ['a large Java monorepo', mono(12, 'Java'), '4x-large'],
  ])('auto gives %s the %s profile', (_name, detection, expected) => {
    expect(chooseBuildProfile('auto', detection).profile).toBe(expected);
  });

  it('lets an explicit profile win over detection', () => {
    expect(chooseBuildProfile('small', single('Java', 'Spring Boot'))).toEqual({
      profile: 'small',
      ...buildProfileResources.small,
    });
  });

  it('grows CPU, memory and timeout with every step', () => {
    const rows = sizedBuildProfiles.map((name) => buildProfileResources[name]);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.cpu).toBeGreaterThan(rows[i - 1]!.cpu);
      expect(rows[i]!.memoryMiB).toBeGreaterThan(rows[i - 1]!.memoryMiB);
      expect(rows[i]!.timeoutSeconds).toBeGreaterThanOrEqual(rows[i - 1]!.timeoutSeconds);
    }
  });

  it('renders the table for the README', () => {
    expect(buildProfilesMarkdown()).toContain('| small | 1 | 2 GiB | 10 min |');
    expect(buildProfilesMarkdown().split('\n')).toHaveLength(2 + sizedBuildProfiles.length);
  });
});
