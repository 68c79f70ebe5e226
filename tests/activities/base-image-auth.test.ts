import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalBuilder } from '../../builders/local';
import { ensureBusyboxImage } from '../support/busybox-image';
import { startRegistry, type TestRegistry } from '../support/registry';
import { rejectionOf } from './failure';
import { buildProfileResources } from '../../domain/build-profile';

let pushTo: TestRegistry;
let elsewhere: TestRegistry;
let root: string;
let privateBase: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kiln-base-auth-'));
  [pushTo, elsewhere] = await Promise.all([
    startRegistry({ username: 'kiln', password: 'push-password-1' }),
    startRegistry({ username: 'other', password: 'other-password-2' }),
  ]);
  privateBase = await ensureBusyboxImage({ storageRoot: path.join(root, 'seed'), registry: elsewhere.auth });
}, 120_000);

afterAll(async () => {
  await Promise.all([pushTo?.stop(), elsewhere?.stop()]);
  await rm(root, { recursive: true, force: true });
});

describe('a base image on another registry that refuses Kiln', () => {
  it('names the registry and image that refused, not the registry Kiln pushes to', async () => {
    const context = path.join(root, 'context');
    await mkdir(context, { recursive: true });
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${privateBase}\nRUN true\n`);
    const builder = createLocalBuilder({ storageRoot: path.join(root, 'storage') });
    const error = await rejectionOf(
      builder.build(
        {
          buildId: 'base-auth',
          source: { repositoryUrl: 'http://git.invalid/a.git', sha: 'a'.repeat(40), ref: 'main', checkoutDir: context },
          contextPath: '.',
          dockerfilePath: 'Dockerfile',
          buildArgs: {},
          images: [`${pushTo.host}/team/app:${'a'.repeat(40)}`],
          registry: pushTo.auth,
          resources: { profile: 'small', ...buildProfileResources.small },
        },
        {
          log: { write: () => undefined, flush: async () => undefined },
          signal: new AbortController().signal,
          heartbeat: () => undefined,
        },
      ),
    );
    expect(error.type).toBe('RegistryAuthFailed');
    expect(error.message).toBe(
      `Registry authentication failed: ${elsewhere.host} refused the base image ${privateBase}. Kiln logs in only to ${pushTo.host}; make that image public or move it to ${pushTo.host}.`,
    );
  });
});
