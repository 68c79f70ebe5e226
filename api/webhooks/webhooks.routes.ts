import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { createRouter, jsonResponse } from '../openapi';
import { createWebhookIntake } from './intake';
import { MAX_WEBHOOK_BYTES, type Provider } from './read-delivery';

const resultSchema = z
  .object({
    message: z.string(),
    reason: z.string().optional(),
    builds: z
      .array(
        z.object({
          serviceId: z.string(),
          service: z.string(),
          buildId: z.string(),
          workflowId: z.string(),
          duplicate: z.boolean(),
        }),
      )
      .optional(),
    skipped: z
      .array(z.object({ serviceId: z.string(), service: z.string(), reason: z.string(), message: z.string() }))
      .optional(),
    cancelled: z
      .array(z.object({ serviceId: z.string(), service: z.string(), buildId: z.string() }))
      .optional()
      .openapi({
        description:
          'A closed pull request, or a closed or merged merge request: its running builds, cancelled (reason ' +
          '`pull_request_closed` / `merge_request_closed`)',
      }),
  })
  .openapi('WebhookResult');

const responses = {
  200: jsonResponse(
    resultSchema,
    'Processed: builds started (durably) or the reason none was (`reason`: e.g. fork_merge_request, ' +
      'fork_pull_request, draft_pull_request, pull_request_action, invalid_ref), or the builds a closed change ' +
      'cancelled. ' +
      'Pings and ignored events get the same 200 whether or not the repository and secret matched.',
  ),
  400: jsonResponse(resultSchema, 'Malformed body or missing event header'),
  401: jsonResponse(
    resultSchema,
    'Unknown repository or wrong secret token / signature: one answer for both. Not kept in any service history; ' +
      'admins see it in GET /webhook-rejections',
  ),
  413: jsonResponse(resultSchema, 'Payload over 25 MB'),
  503: jsonResponse(
    resultSchema,
    "Recorded, but the build workflow could not be started (or a closed change's build not cancelled); redeliver",
  ),
};
const gitlabRoute = createRoute({
  method: 'post',
  path: '/gitlab',
  tags: ['Webhooks'],
  summary:
    'GitLab webhook: Push Hook, Tag Push Hook, Merge Request Hook (close/merge cancels its builds); X-Gitlab-Token or webhook-signature',
  responses,
});
const githubRoute = createRoute({
  method: 'post',
  path: '/github',
  tags: ['Webhooks'],
  summary:
    'GitHub webhook: push and pull_request (closed cancels its builds), ping (X-Hub-Signature-256); other events are acknowledged and ignored',
  responses,
});

/** `/webhook/{gitlab,github}`: public, authenticated by each service's webhook secret. */
export function webhooksRouter(deps: AppDeps) {
  const intake = createWebhookIntake(deps);
  const handle = (provider: Provider) => async (c: Context<AppEnv>) => {
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const body = await readCapped(c.req.raw, MAX_WEBHOOK_BYTES);
    const delivery = body.tooLarge
      ? { provider, headers, rawBody: new Uint8Array(0), declaredBytes: body.bytes }
      : { provider, headers, rawBody: body.data };
    const result = await intake.receive(delivery);
    return c.json(result.body, result.status);
  };
  return createRouter()
    .openapi(gitlabRoute, handle('gitlab') as never)
    .openapi(githubRoute, handle('github') as never);
}

type CappedBody = { tooLarge: false; data: Uint8Array } | { tooLarge: true; bytes: number };

/** Reads at most `max` bytes: a declared or streamed body over the cap is abandoned, never buffered whole. */
async function readCapped(request: Request, max: number): Promise<CappedBody> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > max) return { tooLarge: true, bytes: declared };
  if (!request.body) return { tooLarge: false, data: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return { tooLarge: true, bytes: size };
    }
    chunks.push(value);
  }
  return { tooLarge: false, data: new Uint8Array(Buffer.concat(chunks)) };
}
