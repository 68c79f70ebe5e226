import type { ServerResponse } from 'node:http';
import { matchesFields, matchesLabels } from './selectors';
import type { KubeObject, ObjectStore, StoreEvent } from './store';
import { statusFailure } from './status';

/** What one watch request asked for. */
export interface WatchRequest {
  resource: string;
  namespace: string | undefined;
  resourceVersion: string | null;
  labelSelector: string | null;
  fieldSelector: string | null;
  timeoutSeconds: number | null;
}

/**
 * Streams newline-delimited `{"type","object"}` events like the API server: with no resourceVersion the current
 * objects first arrive as ADDED; with one, every change after it; a version older than the kept history gets an
 * ERROR event carrying a 410 Expired Status, after which the client must list again.
 */
export function serveWatch(store: ObjectStore, request: WatchRequest, res: ServerResponse, onClose: () => void): void {
  const matches = (namespace: string, object: KubeObject) =>
    (request.namespace === undefined || request.namespace === namespace) &&
    matchesLabels(object, request.labelSelector) &&
    matchesFields(object, request.fieldSelector);
  const send = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });

  const fromVersion =
    request.resourceVersion && request.resourceVersion !== '0' ? Number(request.resourceVersion) : null;
  if (fromVersion === null) {
    for (const object of store.list(request.resource, request.namespace)) {
      if (matches(object.metadata.namespace ?? '', object)) send('ADDED', object);
    }
  } else {
    const missed = store.eventsSince(fromVersion);
    if (!missed) {
      const expired = statusFailure(
        410,
        'Expired',
        `too old resource version: ${fromVersion} (${store.currentRevision})`,
      );
      send('ERROR', expired.body);
      res.end();
      onClose();
      return;
    }
    for (const event of missed) {
      if (event.resource === request.resource && matches(event.namespace, event.object)) send(event.type, event.object);
    }
  }

  const listener = (event: StoreEvent) => {
    if (event.resource === request.resource && matches(event.namespace, event.object)) send(event.type, event.object);
  };
  store.on('change', listener);
  const timer = request.timeoutSeconds ? setTimeout(() => res.end(), request.timeoutSeconds * 1000) : undefined;
  res.on('close', () => {
    store.off('change', listener);
    if (timer) clearTimeout(timer);
    onClose();
  });
}
