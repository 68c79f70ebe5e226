// Coexistence: the embedded engine takes Temporal's usual port 7233 when it is free, any free port when something
// else holds it (a Temporal dev server, another Kiln), and a KILN_DEVSERVER_PORT that is taken stops Kiln with a
// message naming the variable.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../../server/engine';
import { temporalConnectionOptions } from '../../worker/temporal-connection';
import { startTestKiln, type KilnOverrides, type TestKiln } from '../support/kiln';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A plain TCP listener, standing in for whatever else may hold a port. */
async function occupy(port: number): Promise<net.Server | null> {
  const server = net.createServer((socket) => socket.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      cleanup.push(() => new Promise((done) => server.close(done)));
      resolve(server);
    });
  });
}

async function embeddedEngine(devserverPort?: number): Promise<Engine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiln-engine-port-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const engine = await startEngine({ dataDir, devserverPort });
  cleanup.push(() => engine.stop());
  return engine;
}

async function answers(engine: Engine): Promise<string> {
  const connection = await Connection.connect(temporalConnectionOptions(engine));
  try {
    const described = await connection.workflowService.describeNamespace({ namespace: 'default' });
    return described.namespaceInfo?.name ?? '';
  } finally {
    await connection.close();
  }
}

const portOf = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));

// Kiln as `npm start` runs it, without KILN_DEVSERVER_PORT (the test harness pins 0 unless told otherwise).
async function unpinnedKiln(stopAfterTest = true): Promise<TestKiln> {
  const kiln = await startTestKiln({ KILN_DEVSERVER_PORT: undefined } as unknown as KilnOverrides);
  if (stopAfterTest) cleanup.push(() => kiln.stop());
  return kiln;
}

async function kilnEngineAnswers(kiln: TestKiln): Promise<string> {
  const described = await (await kiln.temporal()).workflowService.describeNamespace({ namespace: 'default' });
  return described.namespaceInfo?.name ?? '';
}

describe('embedded engine port', () => {
  it('takes 7233 when free, and another free port when a listener holds 7233', async (context) => {
    const probe = await occupy(7233);
    if (probe) {
      await new Promise((done) => probe.close(done));
      const first = await unpinnedKiln(false);
      try {
        expect(first.temporalAddress).toBe('127.0.0.1:7233');
        expect(await kilnEngineAnswers(first)).toBe('default');
      } finally {
        await first.stop();
      }
    } else {
      await context.annotate('7233 is already taken on this machine: only the fallback half ran');
    }

    await occupy(7233); // a plain listener of ours, or whoever already holds it: either way 7233 is taken
    const kiln = await unpinnedKiln();
    expect(portOf(kiln.temporalAddress)).not.toBe(7233);
    expect(portOf(kiln.temporalAddress)).toBeGreaterThan(0);
    expect(await kilnEngineAnswers(kiln)).toBe('default');
  });

  it('stops Kiln with a message naming KILN_DEVSERVER_PORT when the pinned port is taken', async () => {
    const listener = (await occupy(0))!;
    const taken = (listener.address() as net.AddressInfo).port;
    await expect(startTestKiln({ KILN_DEVSERVER_PORT: String(taken) })).rejects.toThrow(
      new RegExp(`KILN_DEVSERVER_PORT=${taken}: 127\\.0\\.0\\.1:${taken} is already in use`),
    );
    // The plain listener still holds its port: Kiln neither took it over nor left a half-started engine on it.
    expect(await occupy(taken)).toBeNull();
  });

  it('keeps a pinned free port', async () => {
    const spare = (await occupy(0))!;
    const port = (spare.address() as net.AddressInfo).port;
    await new Promise((done) => spare.close(done));
    const engine = await embeddedEngine(port);
    expect(engine.address).toBe(`127.0.0.1:${port}`);
    expect(await answers(engine)).toBe('default');
  });
});
