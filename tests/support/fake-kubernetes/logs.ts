import { EventEmitter } from 'node:events';

interface ContainerLog {
  text: string;
  closed: boolean;
}

/** Container output as the kubelet would keep it: appended while running, closed when the container exits. */
export class LogStore extends EventEmitter<{ append: [string] }> {
  private readonly logs = new Map<string, ContainerLog>();

  open(namespace: string, pod: string, container: string): void {
    this.logs.set(logKey(namespace, pod, container), { text: '', closed: false });
  }

  has(namespace: string, pod: string, container: string): boolean {
    return this.logs.has(logKey(namespace, pod, container));
  }

  append(namespace: string, pod: string, container: string, chunk: string): void {
    const key = logKey(namespace, pod, container);
    const log = this.logs.get(key);
    if (!log || log.closed) return;
    log.text += chunk;
    this.emit('append', key);
  }

  close(namespace: string, pod: string, container: string): void {
    const key = logKey(namespace, pod, container);
    const log = this.logs.get(key);
    if (!log) return;
    log.closed = true;
    this.emit('append', key);
  }

  read(namespace: string, pod: string, container: string): ContainerLog | undefined {
    return this.logs.get(logKey(namespace, pod, container));
  }

  /** Drops a deleted pod's logs, as the kubelet does when it removes the containers. */
  forget(namespace: string, pod: string): void {
    for (const key of [...this.logs.keys()]) {
      if (!key.startsWith(`${namespace}/${pod}/`)) continue;
      this.logs.delete(key);
      this.emit('append', key);
    }
  }
}

export function logKey(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}
