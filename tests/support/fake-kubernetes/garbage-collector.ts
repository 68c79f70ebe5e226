import type { KubeObject, ObjectStore } from './store';
import { resources } from './status';

/**
 * The garbage collector's background cascade: when an object is deleted, objects in its namespace that name it
 * (by uid) in metadata.ownerReferences are deleted too.
 */
export function startGarbageCollector(store: ObjectStore): void {
  store.on('change', (event) => {
    if (event.type !== 'DELETED') return;
    const uid = event.object.metadata.uid;
    setImmediate(() => {
      for (const resource of Object.keys(resources)) {
        for (const dependent of store.list(resource, event.namespace)) {
          const owners = (dependent.metadata.ownerReferences as KubeObject['metadata'][] | undefined) ?? [];
          if (owners.some((owner) => owner.uid === uid))
            store.remove(resource, event.namespace, dependent.metadata.name);
        }
      }
    });
  });
}
