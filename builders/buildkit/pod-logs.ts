import { Writable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { Log } from '@kubernetes/client-node';

/**
 * Follows one container's log (`…/log?follow=true&container=`) and hands over complete lines in order.
 * Resolves when the container's output ends (it exited or the pod went away) or `signal` aborts.
 */
export async function followContainerLog(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let partial = '';
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line.replace(/\r$/, ''));
      callback();
    },
    final(callback) {
      if (partial) onLine(partial);
      partial = '';
      callback();
    },
  });
  // Log pipes the response into `sink`; aborting it errors that source stream, which nobody else listens to.
  sink.on('pipe', (source) => source.on('error', resolveDone));
  sink.on('finish', resolveDone);
  sink.on('close', resolveDone);
  sink.on('error', resolveDone);
  const controller = await new Log(kc).log(target.namespace, target.pod, target.container, sink, { follow: true });
  const stop = () => {
    controller.abort();
    resolveDone();
  };
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  await done;
  signal.removeEventListener('abort', stop);
}
