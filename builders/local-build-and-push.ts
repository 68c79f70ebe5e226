import { checkRegistryLogin, getManifestDigest } from '../clients/registry';
import { parseImageReference } from '../domain/image-name';
import type { BuildOutput } from './builder';
import { writeAuthFile, writeBuildSecretFiles } from './buildah';
import { runBuildah, type BuildahRunner, type LocalJob } from './local-run';
import { assertImagesOnRegistry, buildArgsFor, resolvePaths } from './request-checks';
import { wizardDockerfileLine, wizardFilesFor } from './wizard-dockerfile';

/** Builds the checkout with `buildah bud`, pushes every tag and reads the pushed manifest's digest back. */
export async function buildAndPush(runner: BuildahRunner, job: LocalJob, checkoutDir: string): Promise<BuildOutput> {
  const { request, ctx } = job;
  const wizard = await wizardFilesFor(checkoutDir, request, job.tmpDir);
  if (wizard) ctx.log.write('system', wizardDockerfileLine);
  const { contextDir, dockerfile } = await resolvePaths(checkoutDir, request, wizard?.dockerfile);
  assertImagesOnRegistry(request);
  await checkRegistryLogin(request.registry);
  const auth = await writeAuthFile(request.registry);
  try {
    // buildah 1.28 has no per-registry switch on the command line, so an insecure target registry also
    // relaxes TLS for base images pulled during that build; only use `insecure` for local registries.
    const tls = request.registry.insecure ? ['--tls-verify=false'] : [];
    const files = { authFile: auth.path, dockerfile, contextDir, ignoreFile: wizard?.ignoreFile };
    await budImage(runner, job, files, tls);
    ctx.phase?.('push');
    for (const image of request.images) {
      await runBuildah(runner, 'push', ['push', '--authfile', auth.path, ...tls, image, `docker://${image}`], job);
    }
  } finally {
    await auth.dispose();
  }
  const first = parseImageReference(request.images[0] ?? '');
  const digest = await getManifestDigest(request.registry, first.repository, first.tag);
  ctx.log.write('system', `Pushed ${request.images.join(', ')} (${digest})`);
  return { digest, images: request.images };
}

interface BudFiles {
  authFile: string;
  dockerfile: string;
  contextDir: string;
  /** The Build Wizard's `.dockerignore`, when the build uses its Dockerfile and the context has none. */
  ignoreFile?: string;
}

/** `buildah bud` with the isolation's flags, build args, secret files and every tag. */
async function budImage(runner: BuildahRunner, job: LocalJob, files: BudFiles, tls: string[]): Promise<void> {
  const { request } = job;
  const buildArgs = buildArgsFor(request.buildArgs);
  const secrets = await writeBuildSecretFiles(job.tmpDir, request.secretBuildArgs ?? {});
  const tags = request.images.flatMap((image) => ['--tag', image]);
  const layers = request.untrusted ? '--layers=false' : '--layers';
  const ignore = files.ignoreFile ? ['--ignorefile', files.ignoreFile] : [];
  const bud = ['bud', ...job.isolation.budArgs, layers, '--authfile', files.authFile, ...tls, ...ignore];
  const args = [...bud, '-f', files.dockerfile, ...buildArgs.argv, ...secrets, ...tags, files.contextDir];
  await runBuildah(runner, 'build', args, job, buildArgs.env);
}
