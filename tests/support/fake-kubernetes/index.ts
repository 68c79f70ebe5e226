import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { FakeDeploymentController } from './deployment-controller';
import { FaultPlan } from './faults';
import { startGarbageCollector } from './garbage-collector';
import { FakeKubelet } from './kubelet';
import { LogStore } from './logs';
import { Rbac } from './rbac';
import { buildctlRuntime, shellRuntime } from './runtimes';
import { listenApiServer } from './server';
import { ObjectStore } from './store';

export type { KubeObject } from './store';
export type { PodScenario } from './kubelet';

/** A running fake cluster: API server, one kubelet, the deployment controller and switches for tests. */
export interface FakeKubernetes {
  url: string;
  /** A kubeconfig (YAML) for the fake's user, as a cluster administrator would hand it to Kiln. */
  kubeconfig: string;
  user: string;
  store: ObjectStore;
  rbac: Rbac;
  kubelet: FakeKubelet;
  deployments: FakeDeploymentController;
  /** Where the emulated BuildKit (buildah) keeps its images: a base image built here needs no pull. */
  buildkitStorageRoot: string;
  /** `VERB /path?query` of every request, in order. */
  requests: string[];
  /** Requests to answer with an error instead (a 503 once, as a busy API server does). */
  faults: FaultPlan;
  /** Creates a namespace directly (what `kubectl create namespace` would have done before Kiln arrived). */
  createNamespace(name: string): void;
  stop(): Promise<void>;
}

/** Writes a kubeconfig pointing at `server` (trusting `caPem`) with a bearer token. */
export function kubeconfigFor(server: string, caPem: string, token: string, context = 'fake'): string {
  const ca = Buffer.from(caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name: `${context}-user`, user: { token } }],
    contexts: [{ name: context, context: { cluster: context, user: `${context}-user` } }],
    'current-context': context,
  });
}

/**
 * Starts the fake Kubernetes API on 127.0.0.1:0. Build pods run for real: the init container's shell script
 * on this machine, `buildctl-daemonless.sh build` through buildah into `registry` images.
 */
export async function startFakeKubernetes(options: { namespaces?: string[] } = {}): Promise<FakeKubernetes> {
  const store = new ObjectStore();
  const logs = new LogStore();
  const rbac = new Rbac();
  const token = `fake-token-${Math.random().toString(36).slice(2)}`;
  const user = 'system:serviceaccount:kiln:kiln-worker';
  const requests: string[] = [];
  const faults = new FaultPlan();
  const storageRoot = await mkdtemp(path.join(tmpdir(), 'kiln-fake-buildkit-'));
  const kubelet = new FakeKubelet(store, logs);
  kubelet.runtimes.push(shellRuntime, buildctlRuntime(storageRoot));
  const deployments = new FakeDeploymentController(store);
  startGarbageCollector(store);
  const tls = await selfSignedCertificate(storageRoot);
  const server = await listenApiServer({ store, logs, rbac, token, user, requests, faults }, tls);
  const createNamespace = (name: string) => {
    store.create('namespaces', '', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      status: { phase: 'Active' },
    });
  };
  for (const name of ['default', 'kube-system', ...(options.namespaces ?? [])]) createNamespace(name);
  return {
    url: server.url,
    kubeconfig: kubeconfigFor(server.url, tls.cert, token),
    user,
    store,
    rbac,
    kubelet,
    deployments,
    buildkitStorageRoot: storageRoot,
    requests,
    faults,
    createNamespace,
    async stop() {
      for (const pod of store.list('pods')) {
        store.update('pods', pod.metadata.namespace ?? '', {
          ...pod,
          metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString() },
        });
      }
      await kubelet.idle();
      deployments.stop();
      await server.stop();
      await rm(storageRoot, { recursive: true, force: true });
    },
  };
}

/** A throwaway serving certificate for 127.0.0.1, like the API server's; the kubeconfig carries it as CA. */
async function selfSignedCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const keyFile = path.join(dir, 'apiserver.key');
  const certFile = path.join(dir, 'apiserver.crt');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=kube-apiserver',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
}
