import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { autoCiSettings } from '../../db/schema';
import type { openWizardChangeRequestWorkflow, proposeDockerfileWorkflow } from '../../workflows/build-wizard';
import { BUILD_TASK_QUEUE } from '../../workflows/names';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './dockerfile.routes';
import { proposeInput } from './dockerfile.schemas';
import { loadVisibleService } from './load-service';

/** Handlers of the Build Wizard: proposals and merge/pull requests run as workflows on a worker. */
export function createDockerfileHandlers(deps: AppDeps) {
  return { ...wizardWorkflowHandlers(deps), ...storedDockerfileHandlers(deps) };
}

/** Proposing a Dockerfile and opening a merge/pull request with it: each a short workflow on a worker. */
function wizardWorkflowHandlers({ db, temporal }: AppDeps) {
  const proposeDockerfile: AppRouteHandler<typeof routes.proposeDockerfile> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    // The body is optional, so it is read here; it is still validated by the same schema.
    const parsed = proposeInput.safeParse((await c.req.json().catch(() => ({}))) ?? {});
    if (!parsed.success) throw apiError(400, `Invalid request: path must be a sub-project folder like apps/web.`);
    type Result = Awaited<ReturnType<typeof proposeDockerfileWorkflow>>;
    const input = { serviceId: service.id, path: parsed.data.path };
    return c.json(await runWizard<Result>(temporal, 'proposeDockerfileWorkflow', service.id, input), 200);
  };
  const openChangeRequest: AppRouteHandler<typeof routes.openChangeRequest> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const { dockerfile, dockerignore, path } = c.req.valid('json');
    type Result = Awaited<ReturnType<typeof openWizardChangeRequestWorkflow>>;
    const input = { serviceId: service.id, path, dockerfile, dockerignore };
    return c.json(await runWizard<Result>(temporal, 'openWizardChangeRequestWorkflow', service.id, input), 200);
  };
  return { proposeDockerfile, openChangeRequest };
}

/** The Dockerfile stored with the service ("Use for builds"): reading, storing and forgetting it. */
function storedDockerfileHandlers({ db }: AppDeps) {
  const getWizardDockerfile: AppRouteHandler<typeof routes.getWizardDockerfile> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const [row] = await db.select().from(autoCiSettings).where(eq(autoCiSettings.serviceId, service.id));
    return c.json(
      { dockerfile: row?.generatedDockerfile ?? null, dockerignore: row?.generatedDockerignore ?? null },
      200,
    );
  };
  const useWizardDockerfile: AppRouteHandler<typeof routes.useWizardDockerfile> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const { dockerfile, dockerignore, path } = c.req.valid('json');
    if (path) {
      throw apiError(
        400,
        `"Use for builds" covers the repository root only; for sub-project ${path} open a merge request instead, so the Dockerfile lives in its folder.`,
      );
    }
    const values = { generatedDockerfile: dockerfile, generatedDockerignore: dockerignore, updatedAt: new Date() };
    await db
      .insert(autoCiSettings)
      .values({ serviceId: service.id, ...values })
      .onConflictDoUpdate({ target: autoCiSettings.serviceId, set: values });
    return c.json({ dockerfile, dockerignore }, 200);
  };
  const forgetWizardDockerfile: AppRouteHandler<typeof routes.forgetWizardDockerfile> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    await db
      .update(autoCiSettings)
      .set({ generatedDockerfile: null, generatedDockerignore: null, updatedAt: new Date() })
      .where(eq(autoCiSettings.serviceId, service.id));
    return c.body(null, 204);
  };
  return { getWizardDockerfile, useWizardDockerfile, forgetWizardDockerfile };
}

/** Runs a short wizard workflow and turns its failure into a 422 with the activity's own message. */
async function runWizard<T>(temporal: Client, name: string, serviceId: string, args: unknown): Promise<T> {
  try {
    return await temporal.workflow.execute<(input: unknown) => Promise<T>>(name, {
      taskQueue: BUILD_TASK_QUEUE,
      workflowId: `wizard-${serviceId}-${randomUUID()}`,
      args: [args],
      workflowExecutionTimeout: '5 minutes',
    });
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const cause = (error.cause?.cause ?? error.cause) as Error | undefined;
      throw apiError(422, cause?.message ?? 'The Build Wizard failed; see the worker log.');
    }
    throw error;
  }
}
