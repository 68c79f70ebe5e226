import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { create, get, list, remove, update } from './crud';
import type { FaultPlan } from './faults';
import { readJson, sendFailure, sendJson } from './http';
import type { LogStore } from './logs';
import { servePodLog } from './pod-log';
import type { Rbac } from './rbac';
import { parseRoute, verbOf } from './routes';
import type { ObjectStore } from './store';
import { forbidden, notFound, statusFailure, unauthorized } from './status';
import { serveWatch } from './watch';

/** Everything the fake API server reads and writes. */
export interface ApiServerState {
  store: ObjectStore;
  logs: LogStore;
  rbac: Rbac;
  token: string;
  user: string;
  /** Requests seen, as `VERB path`, so tests can assert what Kiln called. */
  requests: string[];
  /** Requests to answer with an error instead (after authentication, before RBAC). */
  faults: FaultPlan;
}

export const KUBERNETES_VERSION = { major: '1', minor: '30', gitVersion: 'v1.30.2', platform: 'linux/amd64' };

async function handle(state: ApiServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  state.requests.push(`${method} ${url.pathname}${url.search}`);
  if (req.headers.authorization !== `Bearer ${state.token}`) return sendFailure(res, unauthorized());
  const fault = state.faults.take(method, url.pathname);
  if (fault) return sendFailure(res, fault);
  if (url.pathname === '/version') return sendJson(res, 200, KUBERNETES_VERSION);
  if (url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' && method === 'POST') {
    return accessReview(state, req, res);
  }
  const route = parseRoute(url.pathname);
  if (!route)
    return sendFailure(res, statusFailure(404, 'NotFound', 'the server could not find the requested resource'));
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  const verb = verbOf(method, route.name !== undefined, watch);
  const rbacResource = route.subresource ? `${route.info.resource}/${route.subresource}` : route.info.resource;
  const rbacNamespace = route.info.namespaced ? route.namespace : route.name;
  if (!state.rbac.allows(verb, rbacResource, rbacNamespace, route.info.group)) {
    return sendFailure(res, forbidden(route.info, state.user, verb, route.subresource, rbacNamespace, route.name));
  }
  const query = url.searchParams;
  if (route.subresource === 'log' && route.info.resource === 'pods' && method === 'GET') {
    const pod = state.store.get('pods', route.namespace ?? '', route.name!);
    if (!pod) return sendFailure(res, notFound(route.info, route.name!));
    return servePodLog(state.logs, pod, query, res);
  }
  if (route.subresource && !(route.subresource === 'status' && route.info.resource === 'deployments')) {
    return sendFailure(res, statusFailure(404, 'NotFound', 'the server could not find the requested resource'));
  }
  if (verb === 'watch') {
    return serveWatch(
      state.store,
      {
        resource: route.info.resource,
        namespace: route.namespace,
        resourceVersion: query.get('resourceVersion'),
        labelSelector: query.get('labelSelector'),
        fieldSelector: query.get('fieldSelector'),
        timeoutSeconds: query.has('timeoutSeconds') ? Number(query.get('timeoutSeconds')) : null,
      },
      res,
      () => undefined,
    );
  }
  if (verb === 'list') return list(state.store, { route, query }, res);
  if (verb === 'get') return get(state.store, { route, query }, res);
  if (verb === 'delete') return remove(state.store, { route, query }, res);
  if (verb !== 'create' && verb !== 'update') {
    return sendFailure(
      res,
      statusFailure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
    );
  }
  const body = await readJson(req);
  if ('failure' in body) return sendFailure(res, body.failure);
  if (verb === 'create') return create(state.store, { route, query, body: body.value }, res);
  return update(state.store, { route, query, body: body.value }, res);
}

/** SelfSubjectAccessReview: answers "can I <verb> <resource> in <namespace>?" from the same RBAC switch. */
async function accessReview(state: ApiServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if ('failure' in body) return sendFailure(res, body.failure);
  const review = body.value as { spec?: { resourceAttributes?: Record<string, string> } };
  const attributes = review.spec?.resourceAttributes ?? {};
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : (attributes.resource ?? '');
  const allowed = state.rbac.allows(
    attributes.verb ?? '',
    resource,
    attributes.namespace || undefined,
    attributes.group ?? '',
    false,
  );
  sendJson(res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: allowed ? { allowed: true, reason: 'RBAC: allowed by fake' } : { allowed: false },
  });
}

/** Starts the HTTPS server on a free port; `stop` closes it and every open watch or log stream. */
export async function listenApiServer(
  state: ApiServerState,
  tls: { key: string; cert: string },
): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer(tls, (req, res) => {
    handle(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendFailure(res, statusFailure(500, 'InternalError', String(err)));
      else res.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
