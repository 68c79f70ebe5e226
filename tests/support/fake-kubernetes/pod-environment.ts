import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerSpec, PodSpec } from './pod-status';
import type { KubeObject, ObjectStore } from './store';

/**
 * The kubelet's volume setup: emptyDir → a fresh directory, secret → its keys as files (honouring `items`).
 * Returns volume name → host directory, or the FailedMount message when a referenced Secret does not exist.
 */
export async function mountVolumes(
  store: ObjectStore,
  pod: KubeObject,
  spec: PodSpec,
  workdir: string,
): Promise<Map<string, string> | string> {
  const byVolume = new Map<string, string>();
  for (const volume of spec.volumes ?? []) {
    const dir = path.join(workdir, 'volumes', volume.name);
    await mkdir(dir, { recursive: true });
    byVolume.set(volume.name, dir);
    if (!volume.secret) continue;
    const secret = store.get('secrets', pod.metadata.namespace ?? '', volume.secret.secretName);
    if (!secret)
      return `MountVolume.SetUp failed for volume "${volume.name}" : secret "${volume.secret.secretName}" not found`;
    const data = (secret.data ?? {}) as Record<string, string>;
    const items = volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      await mkdir(path.dirname(path.join(dir, item.path)), { recursive: true });
      await writeFile(path.join(dir, item.path), Buffer.from(data[item.key] ?? '', 'base64'), { mode: 0o400 });
    }
  }
  return byVolume;
}

/** A container's env with secretKeyRefs resolved and values naming a mount path mapped to the host directory. */
export function resolveEnv(
  store: ObjectStore,
  pod: KubeObject,
  container: ContainerSpec,
  mounts: Map<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = store.get('secrets', pod.metadata.namespace ?? '', ref.name);
      const raw = (secret?.data as Record<string, string> | undefined)?.[ref.key] ?? '';
      env[variable.name] = Buffer.from(raw, 'base64').toString('utf8');
      continue;
    }
    let value = variable.value ?? '';
    for (const [mountPath, hostPath] of mounts) {
      if (value === mountPath || value.startsWith(`${mountPath}/`)) value = hostPath + value.slice(mountPath.length);
    }
    env[variable.name] = value;
  }
  return env;
}
