import type { KubeOperation } from './errors';
import { isNotFound, kubeStatus, translateKubernetesError } from './errors';

const attempts = 40;
const delayMs = 250;

/**
 * Creates an object whose name belongs to one build. An object of that name left by an earlier attempt of the
 * same build (a worker that died mid-build, a Temporal retry) answers 409 AlreadyExists: it is deleted and the
 * create retried until the old one is gone (pods take a moment to terminate).
 */
export async function createFresh<T>(
  op: KubeOperation,
  create: () => Promise<T>,
  remove: () => Promise<unknown>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await create();
    } catch (error) {
      if (kubeStatus(error)?.reason !== 'AlreadyExists' || attempt >= attempts)
        throw translateKubernetesError(error, op);
    }
    try {
      await remove();
    } catch (error) {
      if (!isNotFound(error)) throw translateKubernetesError(error, { ...op, verb: 'delete' });
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
