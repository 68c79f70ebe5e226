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

/** Which object to follow, how to list it, and where its states and failures go. */
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

/** Where a follow stands: stopped or not, the open watch, and the last resourceVersion seen (undefined: list). */
interface WatchState {
  stopped: boolean;
  current?: AbortController;
  resourceVersion?: string;
}

/**
 * Follows one object: list (gives state + resourceVersion), then watch from that version, re-watching from the
 * last seen version whenever the stream ends and listing again when the server says the version expired (410).
 * Returns `stop()`.
 */
export function watchNamed<T extends HasVersion>(kc: KubeConfig, options: WatchNamedOptions<T>): () => void {
  const state: WatchState = { stopped: false };
  void follow(new Watch(kc), options, state);
  return () => {
    state.stopped = true;
    state.current?.abort();
  };
}

async function follow<T extends HasVersion>(watcher: Watch, options: WatchNamedOptions<T>, state: WatchState) {
  let failures = 0;
  while (!state.stopped) {
    try {
      if (state.resourceVersion === undefined) {
        const listed = await options.list();
        state.resourceVersion = listed.metadata?.resourceVersion;
        options.onObject(listed.items[0]);
      }
      const ended = await watchOnce(watcher, options, state);
      if (ended && !state.stopped && !isIdleTimeout(ended)) throw ended;
      failures = 0;
    } catch (error) {
      const code = kubeStatus(error)?.code;
      if (state.stopped) return;
      if (code === 401 || code === 403 || code === 404 || ++failures > 5) return options.onError(error);
      await new Promise((resolve) => setTimeout(resolve, rewatchDelayMs * failures));
    }
  }
}

/** One watch from the last seen version; resolves with what ended it (nothing when the server closed it). */
function watchOnce<T extends HasVersion>(watcher: Watch, options: WatchNamedOptions<T>, state: WatchState) {
  const query = {
    fieldSelector: `metadata.name=${options.name}`,
    resourceVersion: state.resourceVersion,
    allowWatchBookmarks: true,
    timeoutSeconds: options.timeoutSeconds ?? defaultWatchSeconds,
  };
  const onEvent = (type: string, object: T & { code?: number }) => {
    if (type === 'ERROR') {
      if (object.code === 410) state.resourceVersion = undefined;
      return;
    }
    state.resourceVersion = object.metadata?.resourceVersion ?? state.resourceVersion;
    if (type === 'BOOKMARK') return;
    options.onObject(type === 'DELETED' ? undefined : object);
  };
  return new Promise<unknown>((resolve) => {
    void watcher.watch(options.path, query, onEvent, resolve).then((controller) => {
      state.current = controller;
      if (state.stopped) controller.abort();
    });
  });
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
