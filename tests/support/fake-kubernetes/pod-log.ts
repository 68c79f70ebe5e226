import type { ServerResponse } from 'node:http';
import { sendFailure } from './http';
import type { LogStore } from './logs';
import { logKey } from './logs';
import type { KubeObject } from './store';
import { badRequest } from './status';

interface PodSpecLike {
  initContainers?: { name: string }[];
  containers?: { name: string }[];
}

/**
 * GET …/pods/{name}/log: the container's output so far, then (with follow=true) every new chunk until the
 * container exits. A container that has not started yet is a 400, as on a real cluster.
 */
export function servePodLog(logs: LogStore, pod: KubeObject, query: URLSearchParams, res: ServerResponse): void {
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name;
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => c.name);
  const main = (spec.containers ?? []).map((c) => c.name);
  let container = query.get('container');
  if (!container) {
    if (main.length !== 1) {
      return sendFailure(
        res,
        badRequest(`a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`),
      );
    }
    container = main[0]!;
  }
  if (!all.includes(container))
    return sendFailure(res, badRequest(`container ${container} is not valid for pod ${name}`));
  const log = logs.read(namespace, name, container);
  if (!log) {
    const initializing = (spec.initContainers ?? []).some((c) => c.name !== container) && main.includes(container);
    const reason = initializing ? 'PodInitializing' : 'ContainerCreating';
    return sendFailure(res, badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`));
  }

  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  res.write(log.text);
  let offset = log.text.length;
  if (query.get('follow') !== 'true' || log.closed) {
    res.end();
    return;
  }
  const key = logKey(namespace, name, container);
  const onAppend = (changed: string) => {
    if (changed !== key) return;
    const current = logs.read(namespace, name, container);
    if (!current) return void res.end();
    res.write(current.text.slice(offset));
    offset = current.text.length;
    if (current.closed) res.end();
  };
  logs.on('append', onAppend);
  res.on('close', () => logs.off('append', onAppend));
}
