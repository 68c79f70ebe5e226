import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { SecretCipher } from '../../db/crypto';
import { autoCiSettings, gitProviders, registries } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { syncPullSecret } from '../kubernetes/cluster-access';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './auto-ci.routes';
import { loadVisibleService, type ServiceRow } from './load-service';
import { nextSecretBuildArgs, secretBuildArgNames } from './secret-build-args';
import { imageRepository } from '../../domain/image-name';

type Settings = typeof autoCiSettings.$inferSelect;

/** Handlers for `GET/PUT /services/{id}/auto-ci`. */
export function createAutoCiHandlers({ db, cipher }: AppDeps) {
  const getAutoCi: AppRouteHandler<typeof routes.getAutoCi> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    return c.json(await describe(db, cipher, service, await loadSettings(db, service.id)), 200);
  };
  const putAutoCi: AppRouteHandler<typeof routes.putAutoCi> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const current = await loadSettings(db, service.id);
    const { secretBuildArgs, ...input } = c.req.valid('json');
    if (input.buildForkMergeRequests !== undefined && input.buildForkMergeRequests !== current.buildForkMergeRequests)
      requireRole(c.get('user'), 'org_admin', 'change whether merge requests and pull requests from forks are built');
    const next = { ...current, ...input };
    next.secretBuildArgsEnc = nextSecretBuildArgs(cipher, {
      sealed: current.secretBuildArgsEnc,
      buildArgs: next.buildArgs,
      changes: secretBuildArgs,
    });
    const missing = await missingPrerequisites(db, service, next);
    if (next.enabled && missing.length > 0) {
      throw apiError(400, `Auto CI cannot be enabled yet: ${missing.join('; ')}.`);
    }
    const { serviceId: _id, updatedAt: _at, ...values } = next;
    const [saved] = await db
      .insert(autoCiSettings)
      .values({ ...values, serviceId: service.id, updatedAt: new Date() })
      .onConflictDoUpdate({ target: autoCiSettings.serviceId, set: { ...values, updatedAt: new Date() } })
      .returning();
    // Saving is what creates the image-pull Secret (the guide's Step 4); a failure is reported, not fatal.
    const pullSecret = await syncPullSecret(db, cipher, service);
    return c.json({ ...(await describe(db, cipher, service, saved!)), pullSecret }, 200);
  };
  return { getAutoCi, putAutoCi };
}

async function loadSettings(db: Database, serviceId: string): Promise<Settings> {
  const [row] = await db.select().from(autoCiSettings).where(eq(autoCiSettings.serviceId, serviceId));
  if (row) return row;
  // Services always get a row on creation; this covers rows removed by hand.
  const [created] = await db.insert(autoCiSettings).values({ serviceId }).onConflictDoNothing().returning();
  return created ?? (await loadSettings(db, serviceId));
}

/** What the product page's checklist asks for, in words a user can act on. */
async function missingPrerequisites(db: Database, service: ServiceRow, settings: Pick<Settings, 'autoDeploy'>) {
  const missing: string[] = [];
  if (!service.registryId) missing.push('set a registry on the service (PATCH /services/{id} registryId)');
  const [connection] = await db
    .select({ id: gitProviders.id })
    .from(gitProviders)
    .where(and(eq(gitProviders.organizationId, service.organizationId), eq(gitProviders.kind, service.gitProvider)));
  if (!connection)
    missing.push(`an admin must connect ${service.gitProvider} for the organization (POST /git-providers)`);
  if (settings.autoDeploy && !service.clusterId) missing.push('auto-deploy needs a cluster on the service (clusterId)');
  return missing;
}

async function describe(db: Database, cipher: SecretCipher, service: ServiceRow, settings: Settings) {
  const [registry] = service.registryId
    ? await db.select().from(registries).where(eq(registries.id, service.registryId))
    : [];
  const imageName = settings.imageName ?? service.name;
  const names = settings.subprojects.length > 0 ? settings.subprojects.map((s) => s.name) : [imageName];
  const prefix = settings.subprojects.length > 0 ? (settings.imagePrefix ?? '') : '';
  const missing = await missingPrerequisites(db, service, settings);
  return {
    serviceId: service.id,
    enabled: settings.enabled,
    branchFilter: settings.branchFilter,
    buildProfile: settings.buildProfile,
    dockerfilePath: settings.dockerfilePath,
    buildArgs: settings.buildArgs,
    secretBuildArgNames: secretBuildArgNames(cipher, settings.secretBuildArgsEnc),
    autoDeploy: settings.autoDeploy,
    imageName,
    imagePrefix: settings.imagePrefix,
    subprojects: settings.subprojects,
    buildChangedOnly: settings.buildChangedOnly,
    supersedeRunning: settings.supersedeRunning,
    submodules: settings.submodules,
    buildForkMergeRequests: settings.buildForkMergeRequests,
    buildDraftPullRequests: settings.buildDraftPullRequests,
    registry: registry
      ? { id: registry.id, name: registry.name, kind: registry.kind, url: registry.url, project: registry.project }
      : null,
    imageRepositories: registry
      ? names.map((name) => imageRepository({ registryHost: registry.url, project: registry.project, prefix, name }))
      : [],
    readiness: { ready: missing.length === 0, missing },
    updatedAt: settings.updatedAt.toISOString(),
  };
}
