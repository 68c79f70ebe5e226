import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** A stored Kubernetes object; only the metadata fields the fake relies on are typed. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch stream reports it. */
export interface StoreEvent {
  type: WatchEventType;
  resource: string;
  namespace: string;
  object: KubeObject;
  resourceVersion: number;
}

const HISTORY_LIMIT = 1000;

/**
 * The fake API server's etcd: objects by resource/namespace/name, one cluster-wide resourceVersion counter that
 * every write bumps, and a bounded event history so watches can resume from a resourceVersion (older → 410 Gone).
 */
export class ObjectStore extends EventEmitter<{ change: [StoreEvent] }> {
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: StoreEvent[] = [];
  private revision = 100;

  get currentRevision(): number {
    return this.revision;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.objects.get(key(resource, namespace, name));
    return found && structuredClone(found);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const prefix = namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, object]) => structuredClone(object));
  }

  /** Stores a new object, filling in uid, creationTimestamp and resourceVersion as the API server does. */
  create(resource: string, namespace: string, object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.metadata.uid = randomUUID();
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return this.write('ADDED', resource, namespace, stored);
  }

  /** Replaces an existing object with a new revision. */
  update(resource: string, namespace: string, object: KubeObject): KubeObject {
    return this.write('MODIFIED', resource, namespace, structuredClone(object));
  }

  remove(resource: string, namespace: string, name: string): KubeObject | undefined {
    const existing = this.objects.get(key(resource, namespace, name));
    if (!existing) return undefined;
    this.objects.delete(key(resource, namespace, name));
    const removed = structuredClone(existing);
    removed.metadata.resourceVersion = String(++this.revision);
    this.record({ type: 'DELETED', resource, namespace, object: removed, resourceVersion: this.revision });
    return removed;
  }

  /** Events after `resourceVersion`, or undefined when that version is older than the kept history (410 Gone). */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    const oldest = this.history[0];
    if (oldest && resourceVersion < oldest.resourceVersion - 1) return undefined;
    return this.history.filter((event) => event.resourceVersion > resourceVersion);
  }

  private write(type: WatchEventType, resource: string, namespace: string, object: KubeObject): KubeObject {
    object.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key(resource, namespace, object.metadata.name), object);
    this.record({ type, resource, namespace, object: structuredClone(object), resourceVersion: this.revision });
    return structuredClone(object);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    this.emit('change', event);
  }
}

function key(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}
