import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunProcessResult } from '../process/run-process';
import { authFailure, type RegistryAuth } from '../clients/registry';
import { buildTimeoutFailure, formatLimit } from './timeout';
import type { BuildResources } from '../domain/build-profile';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/**
 * Global buildah flags for one storage root: vfs (works without fuse or overlay privileges) with the image
 * store and the run state both under `storageRoot`; builds sharing a store share its layer cache.
 */
export function buildahStorageArgs(storageRoot: string): string[] {
  return [
    '--storage-driver',
    'vfs',
    '--root',
    path.join(storageRoot, 'root'),
    '--runroot',
    path.join(storageRoot, 'runroot'),
  ];
}

/**
 * The buildah store of one organization under the builder's `storageRoot`: its builds reuse each other's layers,
 * and no other organization's images (base images pulled with its credentials, images it built) are visible to
 * them: a `FROM` of such an image pulls from the registry, with this build's credentials. Requests without an
 * organization (benchmarks, driver tests) share the `unassigned` store.
 */
export function organizationStore(storageRoot: string, organizationId: string | undefined): string {
  const id = organizationId ?? 'unassigned';
  if (!/^[\w-]{1,64}$/.test(id)) throw new Error(`Invalid organization id for a build store: ${JSON.stringify(id)}`);
  return path.join(storageRoot, 'orgs', id);
}

/** A registry credentials file on disk and the function that deletes it. */
export interface AuthFile {
  path: string;
  dispose(): Promise<void>;
}

/**
 * A containers-auth.json with the registry credentials, readable by us only and deleted after the build:
 * buildah reads it through `--authfile`, so the password never appears in argv (`/proc/<pid>/cmdline`).
 */
export async function writeAuthFile(registry: RegistryAuth): Promise<AuthFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kiln-auth-'));
  const file = path.join(dir, 'auth.json');
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  await writeFile(file, JSON.stringify({ auths: { [registry.host]: { auth } } }), { mode: 0o600 });
  return { path: file, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Secret build args as buildah flags: each value in its own 0600 file under `dir` (a per-build folder the caller
 * removes), handed over as `--secret id=NAME,src=FILE`, so values reach neither argv, env nor the image.
 */
export async function writeBuildSecretFiles(dir: string, secrets: Record<string, string>): Promise<string[]> {
  const entries = Object.entries(secrets);
  if (entries.length === 0) return [];
  const folder = path.join(dir, 'build-secrets');
  await mkdir(folder, { mode: 0o700 });
  const argv: string[] = [];
  for (const [name, value] of entries) {
    const file = path.join(folder, name);
    await writeFile(file, value, { mode: 0o600, flag: 'wx' });
    argv.push('--secret', `id=${name},src=${file}`);
  }
  return argv;
}

/** The user-facing failure for a buildah run that did not succeed (not for a cancel). */
export function buildahFailure(
  result: RunProcessResult,
  context: { step: 'build' | 'push'; registry: RegistryAuth; resources: BuildResources; idleTimeoutMs: number },
) {
  if (result.stoppedBy === 'timeout') {
    return buildTimeoutFailure(context.resources);
  }
  if (result.stoppedBy === 'idle') {
    return buildFailure(
      BuildErrorType.BuildNoOutput,
      `Build stalled: the builder printed nothing for ${formatLimit(context.idleTimeoutMs)} and was stopped. Check the Dockerfile for a step waiting on input or the network, then retry.`,
    );
  }
  const said = result.stderrTail.join('\n');
  if (/unauthorized|authentication required|denied: requested access|invalid username\/password/i.test(said)) {
    const refused = otherRegistryRefused(said, context.registry.host);
    if (refused) {
      return buildFailure(
        BuildErrorType.RegistryAuthFailed,
        `Registry authentication failed: ${refused.host} refused the base image ${refused.image}. Kiln logs in only to ${context.registry.host}; make that image public or move it to ${context.registry.host}.`,
      );
    }
    return authFailure(context.registry);
  }
  const lastError = [...result.stderrTail].reverse().find((line) => /error/i.test(line)) ?? result.stderrTail.at(-1);
  const what = context.step === 'push' ? 'Image push failed' : 'Build failed';
  return buildFailure(
    BuildErrorType.BuildFailed,
    `${what}: ${lastError?.trim() || `buildah exited with code ${result.exitCode}`}. See the build log for the failing step.`,
  );
}

/** The registry that refused a pull, when it is not the one Kiln pushes to (a base image from elsewhere). */
function otherRegistryRefused(said: string, pushHost: string): { host: string; image: string } | undefined {
  const match = /docker:\/\/(([^/\s]+)\/[^\s:@]+(?:[:@][^\s:]+)?)/.exec(said);
  if (!match || match[2] === pushHost) return undefined;
  return { host: match[2]!, image: match[1]! };
}
