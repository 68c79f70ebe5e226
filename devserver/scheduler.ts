// Keyed one-shot timers grouped by run, so closing a run (or stopping the server) clears all of its deadlines.
/** Runs callbacks at absolute times; re-arming a key replaces the previous callback. */
export class Scheduler {
  private readonly groups = new Map<string, Map<string, NodeJS.Timeout>>();
  private stopped = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Runs `fn` at `atMs` (epoch ms) under `group`/`key`, replacing an earlier timer with the same key. */
  at(group: string, key: string, atMs: number, fn: () => void): void {
    if (this.stopped) return;
    this.cancel(group, key);
    let timers = this.groups.get(group);
    if (!timers) this.groups.set(group, (timers = new Map()));
    // setTimeout caps at ~24.8 days; longer deadlines re-arm themselves when the first wait ends.
    const delay = Math.min(Math.max(0, atMs - Date.now()), 2 ** 31 - 1);
    const handle = setTimeout(() => {
      timers.delete(key);
      if (timers.size === 0) this.groups.delete(group);
      if (Date.now() + 5 < atMs) return this.at(group, key, atMs, fn);
      try {
        fn();
      } catch (err) {
        this.onError(err);
      }
    }, delay);
    timers.set(key, handle);
  }

  /** Cancels one timer; unknown keys are ignored. */
  cancel(group: string, key: string): void {
    const timers = this.groups.get(group);
    const handle = timers?.get(key);
    if (!timers || !handle) return;
    clearTimeout(handle);
    timers.delete(key);
    if (timers.size === 0) this.groups.delete(group);
  }

  /** Cancels every timer of a group (a closed run). */
  cancelGroup(group: string): void {
    for (const handle of this.groups.get(group)?.values() ?? []) clearTimeout(handle);
    this.groups.delete(group);
  }

  /** Cancels everything and refuses new timers. */
  stop(): void {
    this.stopped = true;
    for (const group of [...this.groups.keys()]) this.cancelGroup(group);
  }
}
