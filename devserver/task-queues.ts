// Long-poll matching between queued tasks and waiting pollers, per namespace/task queue, with the poller history
// the real matching service keeps (when each queue was last polled), which decides whether a sticky queue has a worker.

/** A waiting poll request: `take` dispatches one task to it and answers the call. */
export interface Poller<T> {
  /** The polling worker's `worker_instance_key` ('' when it sent none). */
  workerInstanceKey: string;
  /** False once the call was answered or cancelled. */
  alive(): boolean;
  take(item: T): void;
  /** Answers the call with no task (its queue was unloaded). */
  release(): void;
}

interface Queue<T> {
  items: T[];
  pollers: Poller<T>[];
  /** When a poll on this queue last began or ended (ms since epoch). */
  lastPolled: number;
}

/** FIFO task queues with long-polling consumers; stale items are skipped using `isLive`. */
export class TaskQueues<T> {
  private readonly queues = new Map<string, Queue<T>>();

  /** `isLive(item, key)`: whether an item found on queue `key` may still be handed out there. */
  constructor(private readonly isLive: (item: T, key: string) => boolean) {}

  private queue(key: string): Queue<T> {
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { items: [], pollers: [], lastPolled: 0 }));
    return queue;
  }

  /** Hands `item` to a waiting poller or queues it. */
  add(key: string, item: T): void {
    const queue = this.queue(key);
    while (queue.pollers.length > 0) {
      const poller = queue.pollers.shift()!;
      if (!poller.alive()) continue;
      queue.lastPolled = Date.now();
      poller.take(item);
      return;
    }
    queue.items.push(item);
  }

  /** Gives the poller a queued live task now, or parks it until one arrives. */
  poll(key: string, poller: Poller<T>): void {
    const queue = this.queue(key);
    queue.lastPolled = Date.now();
    while (queue.items.length > 0) {
      const item = queue.items.shift()!;
      if (!this.isLive(item, key)) continue;
      poller.take(item);
      return;
    }
    queue.pollers.push(poller);
  }

  /** Removes a parked poller (its call ended). */
  remove(key: string, poller: Poller<T>): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    queue.lastPolled = Date.now();
    queue.pollers = queue.pollers.filter((p) => p !== poller);
  }

  /** Number of live parked pollers on a queue (used by DescribeTaskQueue-like introspection and tests). */
  pollerCount(key: string): number {
    return this.queues.get(key)?.pollers.filter((p) => p.alive()).length ?? 0;
  }

  /** True while a poller waits on the queue or one polled it within the last `windowMs` (matching's HasPollerAfter). */
  polledWithin(key: string, windowMs: number): boolean {
    const queue = this.queues.get(key);
    if (!queue) return false;
    return queue.pollers.some((p) => p.alive()) || Date.now() - queue.lastPolled < windowMs;
  }

  /** Answers with no task every waiting poll of the worker `workerInstanceKey` on the queues `keys` (ShutdownWorker). */
  releaseWorker(keys: readonly string[], workerInstanceKey: string): void {
    for (const key of keys) {
      const queue = this.queues.get(key);
      if (!queue) continue;
      const [leaving, staying] = partition(queue.pollers, (p) => p.workerInstanceKey === workerInstanceKey);
      queue.pollers = staying;
      for (const poller of leaving) if (poller.alive()) poller.release();
    }
  }

  /** The keys of every queue, for a worker that did not say which it polls. */
  keys(): string[] {
    return [...this.queues.keys()];
  }

  /**
   * Forgets a queue (ShutdownWorker unloads the worker's sticky queue): its waiting pollers are answered with no
   * task, and its poller history and queued items are dropped, so the queue counts as unpolled from now on.
   */
  unload(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    this.queues.delete(key);
    for (const poller of queue.pollers) if (poller.alive()) poller.release();
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
