import type { AppDeps } from '../deps';
import type { AppRouteHandler } from '../openapi';
import { createWebhookIntake } from './intake';
import { MAX_WEBHOOK_BYTES, type Provider } from './read-delivery';
import type * as routes from './webhooks.routes';

/** Handlers of `/webhook/{gitlab,github}`: public, authenticated by each service's webhook secret. */
export function createWebhookHandlers(deps: AppDeps) {
  const intake = createWebhookIntake(deps);
  const receive = async (provider: Provider, request: Request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const body = await readCapped(request, MAX_WEBHOOK_BYTES);
    const delivery = body.tooLarge
      ? { provider, headers, rawBody: new Uint8Array(0), declaredBytes: body.bytes }
      : { provider, headers, rawBody: body.data };
    return intake.receive(delivery);
  };
  const gitlabWebhook: AppRouteHandler<typeof routes.gitlabWebhook> = async (c) => {
    const result = await receive('gitlab', c.req.raw);
    return c.json(result.body, result.status);
  };
  const githubWebhook: AppRouteHandler<typeof routes.githubWebhook> = async (c) => {
    const result = await receive('github', c.req.raw);
    return c.json(result.body, result.status);
  };
  return { gitlabWebhook, githubWebhook };
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
