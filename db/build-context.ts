import { eq } from 'drizzle-orm';
import type { Database } from './client';
import type { SecretCipher } from './crypto';
import { loadGitCredential } from './git-credentials';
import { openSecretBuildArgs, receivesSecretBuildArgs, secretBuildArgRedactions } from './secret-build-args';
import {
  autoCiSettings,
  builds,
  clusters,
  registries,
  services,
  type SubprojectSetting,
  type BuildRow,
} from './schema';
import { deployNamespaceOf } from '../domain/deploy-namespace';
import { registryHost } from '../domain/registry-host';

/** Everything a build workflow needs, with secrets decrypted. Never log or return this object as a whole. */
export interface BuildForWorkflow {
  build: BuildRow;
  service: {
    id: string;
    name: string;
    organizationId: string;
    gitProvider: 'gitlab' | 'github';
    repoUrl: string;
    projectPath: string;
    projectId: string | null;
    defaultBranch: string;
    deployNamespace: string;
    deployPort: number | null;
  };
  /**
   * The connection on the repository's exact origin (domain/credentials.ts); null means clone anonymously.
   * `providerApi` false: a plain git server, where Kiln only clones.
   */
  git: { baseUrl: string; token: string; providerApi: boolean } | null;
  /** Why `git` is null, for the build log ("No Git connection for https://host:port; cloning without credentials"). */
  gitNotice: string | null;
  registry: {
    id: string;
    name: string;
    kind: 'harbor' | 'dockerhub' | 'oci';
    /** host[:port] without scheme. */
    host: string;
    project: string;
    username: string;
    password: string;
    insecure: boolean;
  } | null;
  cluster: {
    id: string;
    name: string;
    mode: 'kubeconfig' | 'in-cluster';
    kubeconfig: string | null;
    context: string | null;
    namespaces: string[] | null;
  } | null;
  autoCi: {
    enabled: boolean;
    buildProfile: string;
    dockerfilePath: string;
    buildArgs: Record<string, string>;
    /** Secret build args (decrypted), passed as build secrets; empty for builds that may not receive them. */
    secretBuildArgs: Record<string, string>;
    /** Names of secret build args this build does not receive (a merge-request build), for the build log. */
    withheldSecretBuildArgs: string[];
    autoDeploy: boolean;
    /** Defaults to the service name. */
    imageName: string;
    imagePrefix: string;
    subprojects: SubprojectSetting[];
    buildChangedOnly: boolean;
    supersedeRunning: boolean;
    submodules: boolean;
    /** The Build Wizard's files ("Use for builds"), used only while the repository has no Dockerfile. */
    wizardDockerfile: { dockerfile: string; dockerignore: string } | null;
  };
  /** False for merge-request builds: no secret build args, no shared layer cache (db/secret-build-args.ts). */
  trusted: boolean;
  /** Secret values a log sink must redact (tokens, passwords, their basic-auth form). */
  secrets: string[];
}

type ServiceRecord = typeof services.$inferSelect;
type SettingsRecord = typeof autoCiSettings.$inferSelect;
type RegistryRecord = typeof registries.$inferSelect;
type ClusterRecord = typeof clusters.$inferSelect;

/** Loads a build with its service, Git token, registry credentials, cluster and Auto CI settings. */
export async function loadBuildForWorkflow(
  db: Database,
  cipher: SecretCipher,
  buildId: string,
): Promise<BuildForWorkflow> {
  const [row] = await db
    .select({ build: builds, service: services, settings: autoCiSettings, registry: registries, cluster: clusters })
    .from(builds)
    .innerJoin(services, eq(services.id, builds.serviceId))
    .leftJoin(autoCiSettings, eq(autoCiSettings.serviceId, services.id))
    .leftJoin(registries, eq(registries.id, services.registryId))
    .leftJoin(clusters, eq(clusters.id, services.clusterId))
    .where(eq(builds.id, buildId));
  if (!row) throw new Error(`Build ${buildId} does not exist (deleted with its service?).`);
  const { build, service, settings, registry, cluster } = row;
  const credential = await loadGitCredential(db, cipher, service);
  const git = credential.found
    ? {
        baseUrl: credential.connection.baseUrl,
        token: credential.token,
        providerApi: credential.connection.providerApi,
      }
    : null;
  // '' is a password cleared by a URL change: the build refuses to push rather than send an old one anywhere.
  const password = registry && registry.passwordEnc !== '' ? cipher.decrypt(registry.passwordEnc) : undefined;
  // Every secret value is redacted, also in builds that do not receive them (a Dockerfile may print an old copy).
  const storedSecretArgs = openSecretBuildArgs(cipher, settings?.secretBuildArgsEnc);
  const trusted = receivesSecretBuildArgs(build);
  const secrets = [
    git?.token,
    password,
    registry && password && Buffer.from(`${registry.username}:${password}`).toString('base64'),
    ...secretBuildArgRedactions(storedSecretArgs),
  ];
  return {
    build,
    service: serviceOf(service),
    git,
    gitNotice: credential.found ? null : credential.message,
    registry: registry ? registryOf(registry, password) : null,
    cluster: cluster ? clusterOf(cipher, cluster) : null,
    autoCi: autoCiOf(settings, service, storedSecretArgs, trusted),
    trusted,
    secrets: secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4),
  };
}

function serviceOf(service: ServiceRecord): BuildForWorkflow['service'] {
  return {
    id: service.id,
    name: service.name,
    organizationId: service.organizationId,
    gitProvider: service.gitProvider,
    repoUrl: service.repoUrl,
    projectPath: service.projectPath,
    projectId: service.projectId,
    defaultBranch: service.defaultBranch,
    deployNamespace: deployNamespaceOf(service),
    deployPort: service.deployPort,
  };
}

function registryOf(registry: RegistryRecord, password: string | undefined): BuildForWorkflow['registry'] {
  return {
    id: registry.id,
    name: registry.name,
    kind: registry.kind,
    host: registryHost(registry.url),
    project: registry.project,
    username: registry.username,
    password: password ?? '',
    insecure: registry.insecure,
  };
}

function clusterOf(cipher: SecretCipher, cluster: ClusterRecord): BuildForWorkflow['cluster'] {
  const kubeconfig = cluster.kubeconfigEnc ? cipher.decrypt(cluster.kubeconfigEnc) : null;
  const { id, name, mode, context, namespaces } = cluster;
  return { id, name, mode, kubeconfig, context, namespaces };
}

/** The service's Auto CI settings with their defaults; secret build args only for a build that may receive them. */
function autoCiOf(
  settings: SettingsRecord | null,
  service: ServiceRecord,
  storedSecretArgs: Record<string, string>,
  trusted: boolean,
): BuildForWorkflow['autoCi'] {
  const secretBuildArgs = trusted ? storedSecretArgs : {};
  return {
    enabled: settings?.enabled ?? false,
    buildProfile: settings?.buildProfile ?? 'auto',
    dockerfilePath: settings?.dockerfilePath ?? 'Dockerfile',
    buildArgs: settings?.buildArgs ?? {},
    secretBuildArgs,
    withheldSecretBuildArgs: Object.keys(storedSecretArgs).filter((name) => !(name in secretBuildArgs)),
    autoDeploy: settings?.autoDeploy ?? false,
    imageName: settings?.imageName ?? service.name,
    imagePrefix: settings?.imagePrefix ?? '',
    subprojects: settings?.subprojects ?? [],
    buildChangedOnly: settings?.buildChangedOnly ?? true,
    supersedeRunning: settings?.supersedeRunning ?? true,
    submodules: settings?.submodules ?? false,
    wizardDockerfile: settings?.generatedDockerfile
      ? { dockerfile: settings.generatedDockerfile, dockerignore: settings.generatedDockerignore ?? '' }
      : null,
  };
}
