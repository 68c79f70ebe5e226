import type { KubeConfig } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import { kubeStatus } from './errors';

interface Listed<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

interface HasVersion {
  metadata?: { resourceVersion?: string; name?: string };
}

export interface WatchNamedOptions<T> {
  /** Collection path, e.g. `/api/v1/namespaces/kiln-builds/pods`. */
  path: string;
  name: string;
  /** Lists the collection filtered to `name` (a typed client call) for the initial state and after 410 Gone. */
  list(): Promise<Listed<T>>;
  /** Every state of the object in order; undefined once it is deleted. */
  onObject(object: T | undefined): void;
  /** A failure that rewatching cannot fix (403, a list that keeps failing). */
  onError(error: unknown): void;
  /**
   * How long the server keeps one watch open. Below client-node's 30 s inactivity timeout, so a quiet object
   * (a long build step) ends its watch normally instead of as a timeout error.
   */
  timeoutSeconds?: number;
}

const rewatchDelayMs = 200;
const defaultWatchSeconds = 25;

/** client-node ends a watch that saw no bytes for 30 s with a TimeoutError: that is a quiet object, not a fault. */
function isIdleTimeout(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'TimeoutError';
}

/**
 * Follows one object: list (gives state + resourceVersion), then watch from that version, re-watching from the
 * last seen version whenever the stream ends and listing again when the server says the version expired (410).
 * Returns `stop()`.
 */
export function watchNamed<T extends HasVersion>(kc: KubeConfig, options: WatchNamedOptions<T>): () => void {
  const watcher = new Watch(kc);
  let stopped = false;
  let current: AbortController | undefined;
  let resourceVersion: string | undefined;
  const fieldSelector = `metadata.name=${options.name}`;

  const relist = async () => {
    const listed = await options.list();
    resourceVersion = listed.metadata?.resourceVersion;
    options.onObject(listed.items[0]);
  };

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (resourceVersion === undefined) await relist();
        const ended = await new Promise<unknown>((resolve) => {
          void watcher
            .watch(
              options.path,
              {
                fieldSelector,
                resourceVersion,
                allowWatchBookmarks: true,
                timeoutSeconds: options.timeoutSeconds ?? defaultWatchSeconds,
              },
              (type, object: T & { code?: number }) => {
                if (type === 'ERROR') {
                  if (object.code === 410) resourceVersion = undefined;
                  return;
                }
                resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
                if (type === 'BOOKMARK') return;
                options.onObject(type === 'DELETED' ? undefined : object);
              },
              resolve,
            )
            .then((controller) => {
              current = controller;
              if (stopped) controller.abort();
            });
        });
        if (ended && !stopped && !isIdleTimeout(ended)) throw ended;
        failures = 0;
      } catch (error) {
        const code = kubeStatus(error)?.code;
        if (stopped) return;
        if (code === 401 || code === 403 || code === 404 || ++failures > 5) return options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, rewatchDelayMs * failures));
      }
    }
  };
  void loop();
  return () => {
    stopped = true;
    current?.abort();
  };
}

/**
 * Resolves with the first non-undefined `decide(latest)`; rejects on the signal, the timeout or a watch error.
 * The timeout rejects with `onTimeout()` so callers can say what was still missing.
 */
export function waitForObject<T extends HasVersion, R>(
  kc: KubeConfig,
  options: Omit<WatchNamedOptions<T>, 'onObject' | 'onError'> & {
    decide(object: T | undefined): R | undefined;
    signal?: AbortSignal;
    timeoutMs?: number;
    onTimeout?(latest: T | undefined): Error | Promise<Error>;
  },
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let latest: T | undefined;
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      stop();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    const stop = watchNamed<T>(kc, {
      ...options,
      onObject(object) {
        latest = object;
        try {
          const decided = options.decide(object);
          if (decided !== undefined) finish(() => resolve(decided));
        } catch (error) {
          finish(() => reject(error));
        }
      },
      onError: (error) => finish(() => reject(error)),
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          void Promise.resolve(options.onTimeout?.(latest) ?? new Error('Timed out')).then((error) =>
            finish(() => reject(error)),
          );
        }, options.timeoutMs)
      : undefined;
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
