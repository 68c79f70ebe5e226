import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { admit } from './admission';
import { sendFailure, sendJson } from './http';
import type { Route } from './routes';
import { matchesFields, matchesLabels } from './selectors';
import type { KubeObject, ObjectStore } from './store';
import type { StatusFailure } from './status';
import { alreadyExists, badRequest, conflict, invalid, nameProblem, notFound, resources } from './status';

/** The parts of a request the CRUD handlers need, already authenticated and authorized. */
export interface CrudRequest {
  route: Route;
  query: URLSearchParams;
  body?: unknown;
}

const namespaceOf = (route: Route) => route.namespace ?? '';

function isKubeObject(value: unknown): value is KubeObject {
  const metadata = (value as KubeObject | null)?.metadata;
  return typeof value === 'object' && value !== null && typeof metadata === 'object' && metadata !== null;
}

/** 404 `namespaces "x" not found` when a namespaced write targets a namespace that does not exist. */
function missingNamespace(store: ObjectStore, route: Route): StatusFailure | undefined {
  if (!route.info.namespaced || store.get('namespaces', '', namespaceOf(route))) return undefined;
  return notFound(resources.namespaces!, namespaceOf(route));
}

export function list(store: ObjectStore, { route, query }: CrudRequest, res: ServerResponse): void {
  const items = store
    .list(route.info.resource, route.namespace)
    .filter((o) => matchesLabels(o, query.get('labelSelector')) && matchesFields(o, query.get('fieldSelector')));
  sendJson(res, 200, {
    kind: `${route.info.kind}List`,
    apiVersion: route.info.group ? `${route.info.group}/${route.info.version}` : route.info.version,
    metadata: { resourceVersion: String(store.currentRevision) },
    items,
  });
}

export function get(store: ObjectStore, { route }: CrudRequest, res: ServerResponse): void {
  const found = store.get(route.info.resource, namespaceOf(route), route.name!);
  if (!found) return sendFailure(res, notFound(route.info, route.name!));
  sendJson(res, 200, found);
}

export function create(store: ObjectStore, { route, body }: CrudRequest, res: ServerResponse): void {
  if (!isKubeObject(body)) return sendFailure(res, badRequest('Object is missing metadata'));
  const object = body;
  if (!object.metadata.name && typeof object.metadata.generateName === 'string') {
    object.metadata.name = `${object.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  }
  const name = object.metadata.name ?? '';
  if (route.info.namespaced && object.metadata.namespace && object.metadata.namespace !== route.namespace) {
    return sendFailure(
      res,
      badRequest('the namespace of the provided object does not match the namespace sent on the request'),
    );
  }
  const namespaceFailure = missingNamespace(store, route);
  if (namespaceFailure) return sendFailure(res, namespaceFailure);
  const problem = nameProblem(route.info, name);
  if (problem) return sendFailure(res, invalid(route.info, name, 'metadata.name', problem));
  if (store.get(route.info.resource, namespaceOf(route), name))
    return sendFailure(res, alreadyExists(route.info, name));
  if (route.info.namespaced) object.metadata.namespace = route.namespace;
  delete object.metadata.resourceVersion;
  const failure = admit(route.info, object);
  if (failure) return sendFailure(res, failure);
  sendJson(res, 201, store.create(route.info.resource, namespaceOf(route), object));
}

/** PUT: a stale metadata.resourceVersion is a 409 Conflict; none at all is an unconditional update. */
export function update(store: ObjectStore, { route, body }: CrudRequest, res: ServerResponse): void {
  if (!isKubeObject(body)) return sendFailure(res, badRequest('Object is missing metadata'));
  const object = body;
  if (object.metadata.name !== route.name) {
    return sendFailure(
      res,
      badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${route.name})`),
    );
  }
  const previous = store.get(route.info.resource, namespaceOf(route), route.name!);
  if (!previous) return sendFailure(res, notFound(route.info, route.name!));
  const expected = object.metadata.resourceVersion;
  if (expected && expected !== previous.metadata.resourceVersion)
    return sendFailure(res, conflict(route.info, route.name!));
  if (route.info.namespaced) object.metadata.namespace = route.namespace;
  if (route.subresource === 'status') {
    sendJson(res, 200, store.update(route.info.resource, namespaceOf(route), { ...previous, status: object.status }));
    return;
  }
  const failure = admit(route.info, object, previous);
  if (failure) return sendFailure(res, failure);
  sendJson(res, 200, store.update(route.info.resource, namespaceOf(route), object));
}

/**
 * DELETE: pods are marked with a deletionTimestamp first so the kubelet can stop them; namespaces take their
 * contents with them; other resources answer with a Success Status as the real API does.
 */
export function remove(store: ObjectStore, { route }: CrudRequest, res: ServerResponse): void {
  const { info } = route;
  const namespace = namespaceOf(route);
  const existing = store.get(info.resource, namespace, route.name!);
  if (!existing) return sendFailure(res, notFound(info, route.name!));
  if (info.resource === 'pods') {
    if (!existing.metadata.deletionTimestamp) {
      existing.metadata.deletionTimestamp = new Date().toISOString();
      sendJson(res, 200, store.update('pods', namespace, existing));
    } else sendJson(res, 200, existing);
    return;
  }
  if (info.resource === 'namespaces') {
    for (const resource of Object.keys(resources)) {
      for (const object of store.list(resource, route.name)) store.remove(resource, route.name!, object.metadata.name);
    }
    const removed = store.remove(info.resource, namespace, route.name!)!;
    sendJson(res, 200, { ...removed, status: { phase: 'Terminating' } });
    return;
  }
  store.remove(info.resource, namespace, route.name!);
  sendJson(res, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: route.name,
      ...(info.group ? { group: info.group } : {}),
      kind: info.resource,
      uid: existing.metadata.uid,
    },
  });
}
