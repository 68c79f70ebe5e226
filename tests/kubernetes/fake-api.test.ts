import { Writable } from 'node:stream';
import type { V1Secret } from '@kubernetes/client-node';
import { CoreV1Api, KubeConfig, Log, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeStatus } from '../../clients/kubernetes/errors';
import { watchNamed } from '../../clients/kubernetes/watch';
import type { FakeKubernetes } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import { failureOf } from './failure';

// The fake is only useful if it answers like a real API server; these pin the semantics Kiln relies on,
// through the same client library Kiln uses.
describe('fake Kubernetes API server', () => {
  let cluster: FakeKubernetes;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const secret = (name: string) => ({ metadata: { name }, stringData: { key: 'value' } });

  beforeAll(async () => {
    cluster = await startFakeKubernetes({ namespaces: ['team'] });
    kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('fills in uid, creationTimestamp and an increasing resourceVersion, and folds stringData into data', async () => {
    const first = await core.createNamespacedSecret({ namespace: 'team', body: secret('a') });
    const second = await core.createNamespacedSecret({ namespace: 'team', body: secret('b') });
    expect(first.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
    expect(first.data).toEqual({ key: Buffer.from('value').toString('base64') });
    expect(first.stringData).toBeUndefined();
  });

  it('answers NotFound, AlreadyExists, Conflict and Invalid with Status objects', async () => {
    expect(kubeStatus(await failureOf(core.readNamespacedSecret({ namespace: 'team', name: 'nope' })))).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'secrets "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'secrets' }, code: 404,
    }); // prettier-ignore
    await core.createNamespacedSecret({ namespace: 'team', body: secret('dup') });
    expect(
      kubeStatus(await failureOf(core.createNamespacedSecret({ namespace: 'team', body: secret('dup') }))),
    ).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'secrets "dup" already exists' });
    const current = await core.readNamespacedSecret({ namespace: 'team', name: 'dup' });
    await core.replaceNamespacedSecret({ namespace: 'team', name: 'dup', body: current });
    const stale = kubeStatus(
      await failureOf(core.replaceNamespacedSecret({ namespace: 'team', name: 'dup', body: current })),
    );
    expect(stale).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: expect.stringContaining('Operation cannot be fulfilled on secrets "dup": the object has been modified'),
    });
    expect(
      kubeStatus(await failureOf(core.createNamespacedSecret({ namespace: 'team', body: secret('Bad_Name') }))),
    ).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(
      kubeStatus(await failureOf(core.createNamespacedSecret({ namespace: 'ghost', body: secret('x') }))),
    ).toMatchObject({ code: 404, details: { name: 'ghost', kind: 'namespaces' } });
  });

  it('denies with the real Forbidden message shape', async () => {
    cluster.rbac.deny({ verb: 'create', resource: 'secrets', namespace: 'team' });
    const denied = kubeStatus(await failureOf(core.createNamespacedSecret({ namespace: 'team', body: secret('c') })));
    expect(denied).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'secrets is forbidden: User "system:serviceaccount:kiln:kiln-worker" cannot create resource "secrets" in API group "" in the namespace "team"',
    });
    cluster.rbac.allowAll();
  });

  it('streams watch events after a resourceVersion, filtered by field selector', async () => {
    const created = await core.createNamespacedSecret({ namespace: 'team', body: secret('watched') });
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        '/api/v1/namespaces/team/secrets',
        { resourceVersion: created.metadata?.resourceVersion, fieldSelector: 'metadata.name=watched' },
        (type, object: { metadata: { name: string } }) => {
          events.push(`${type} ${object.metadata.name}`);
          if (type === 'DELETED') resolve();
        },
        () => resolve(),
      );
    });
    await core.createNamespacedSecret({ namespace: 'team', body: secret('other') });
    await core.replaceNamespacedSecret({
      namespace: 'team',
      name: 'watched',
      body: { metadata: { name: 'watched' }, stringData: { key: 'new' } },
    });
    await core.deleteNamespacedSecret({ namespace: 'team', name: 'watched' });
    await done;
    expect(events).toEqual(['MODIFIED watched', 'DELETED watched']);
  });

  it('follows a running container log until the container exits, and refuses one that has not started', async () => {
    cluster.kubelet.plan({ kind: 'unschedulable' }, (pod) => pod.metadata.name === 'never');
    const container = { name: 'main', image: 'busybox', command: ['sh', '-c', 'echo one; sleep 0.3; echo two'] };
    await core.createNamespacedPod({
      namespace: 'team',
      body: { metadata: { name: 'never' }, spec: { containers: [container] } },
    });
    const waiting = await failureOf(
      new Log(kc).log('team', 'never', 'main', new Writable({ write: (_c, _e, cb) => cb() })),
    );
    expect(waiting).toMatchObject({ code: 400 });

    await core.createNamespacedPod({
      namespace: 'team',
      body: { metadata: { name: 'talker' }, spec: { restartPolicy: 'Never', containers: [container] } },
    });
    await expect
      .poll(async () => (await core.readNamespacedPod({ namespace: 'team', name: 'talker' })).status?.phase, {
        timeout: 10_000,
      })
      .not.toBe('Pending');
    let text = '';
    await new Promise<void>((resolve) => {
      const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((text += chunk.toString()), cb()) });
      sink.on('finish', resolve);
      void new Log(kc).log('team', 'talker', 'main', sink, { follow: true });
    });
    expect(text).toBe('one\ntwo\n');
    expect((await core.readNamespacedPod({ namespace: 'team', name: 'talker' })).status?.phase).toBe('Succeeded');
  });
});

describe('watchNamed', () => {
  it('keeps following an object across server-side watch timeouts, resuming from the last resourceVersion', async () => {
    const cluster = await startFakeKubernetes({ namespaces: ['team'] });
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'team',
      body: { metadata: { name: 'quiet' }, stringData: { n: '0' } },
    });
    const seen: string[] = [];
    const errors: unknown[] = [];
    const stop = watchNamed<V1Secret>(kc, {
      path: '/api/v1/namespaces/team/secrets',
      name: 'quiet',
      timeoutSeconds: 1,
      list: () => core.listNamespacedSecret({ namespace: 'team', fieldSelector: 'metadata.name=quiet' }),
      onObject: (secret) => seen.push(Buffer.from(secret?.data?.n ?? '', 'base64').toString()),
      onError: (error) => errors.push(error),
    });
    try {
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['0']);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await core.replaceNamespacedSecret({
        namespace: 'team',
        name: 'quiet',
        body: { metadata: { name: 'quiet' }, stringData: { n: '1' } },
      });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['0', '1']);
      expect(errors).toEqual([]);
      expect(cluster.requests.filter((r) => r.includes('watch=true')).length).toBeGreaterThanOrEqual(3);
    } finally {
      stop();
      await cluster.stop();
    }
  });
});
