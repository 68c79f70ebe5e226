// Long-poll matching between queued tasks and waiting pollers, per namespace/task queue.

/** A waiting poll request: `take` dispatches one task to it and answers the call. */
export interface Poller<T> {
  /** False once the call was answered or cancelled. */
  alive(): boolean;
  take(item: T): void;
}

interface Queue<T> {
  items: T[];
  pollers: Poller<T>[];
}

/** FIFO task queues with long-polling consumers; stale items are skipped using `isLive`. */
export class TaskQueues<T> {
  private readonly queues = new Map<string, Queue<T>>();

  constructor(private readonly isLive: (item: T) => boolean) {}

  private queue(key: string): Queue<T> {
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { items: [], pollers: [] }));
    return queue;
  }

  /** Hands `item` to a waiting poller or queues it. */
  add(key: string, item: T): void {
    const queue = this.queue(key);
    while (queue.pollers.length > 0) {
      const poller = queue.pollers.shift()!;
      if (!poller.alive()) continue;
      poller.take(item);
      return;
    }
    queue.items.push(item);
  }

  /** Gives the poller a queued live task now, or parks it until one arrives. */
  poll(key: string, poller: Poller<T>): void {
    const queue = this.queue(key);
    while (queue.items.length > 0) {
      const item = queue.items.shift()!;
      if (!this.isLive(item)) continue;
      poller.take(item);
      return;
    }
    queue.pollers.push(poller);
  }

  /** Removes a parked poller (its call ended). */
  remove(key: string, poller: Poller<T>): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    queue.pollers = queue.pollers.filter((p) => p !== poller);
  }

  /** Number of live parked pollers on a queue (used by DescribeTaskQueue-like introspection and tests). */
  pollerCount(key: string): number {
    return this.queues.get(key)?.pollers.filter((p) => p.alive()).length ?? 0;
  }
}
