import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadApiEnv } from '../../api/env';
import { loadDevServerEnv } from '../../devserver/env';
import { loadServerEnv } from '../../server/env';
import { loadWorkerEnv } from '../../worker/env';

// Every process extends one base (config/env-base.ts): the same variable means the same thing everywhere, and a bad
// value stops each process with a message naming it.
const loaders = {
  api: (env: NodeJS.ProcessEnv) => loadApiEnv(env),
  worker: (env: NodeJS.ProcessEnv) => loadWorkerEnv(env),
  'npm start': (env: NodeJS.ProcessEnv) => loadServerEnv(env),
};

function captureExit() {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  return { stderr, exit, written: () => stderr.mock.calls.map((call) => String(call[0])).join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('process configuration', () => {
  it.each(Object.entries(loaders))('%s reads the shared variables the same way', (_name, load) => {
    const env = load({
      DATABASE_URL: 'postgres://kiln@127.0.0.1:5432/kiln',
      KILN_PUBLIC_URL: '',
      TEMPORAL_TLS: 'true',
      TEMPORAL_API_KEY: '',
      LOG_LEVEL: 'warn',
    });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://kiln@127.0.0.1:5432/kiln',
      KILN_PUBLIC_URL: undefined,
      TEMPORAL_TLS: true,
      TEMPORAL_API_KEY: undefined,
      TEMPORAL_NAMESPACE: 'default',
      KILN_DATA_DIR: './.kiln',
      LOG_LEVEL: 'warn',
    });
  });

  it.each(Object.entries(loaders))('%s stops on a bad shared value and names the variable', (_name, load) => {
    const { exit, written } = captureExit();
    expect(() => load({ KILN_PUBLIC_URL: 'kiln.example.com', LOG_LEVEL: 'loud' })).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(written()).toMatch(/Invalid .* configuration:/);
    expect(written()).toContain('KILN_PUBLIC_URL:');
    expect(written()).toContain('LOG_LEVEL:');
  });

  it('the devserver shares the log levels and the report, with its own exit code for bad flags', () => {
    expect(loadDevServerEnv(['--port', '0'], { LOG_LEVEL: 'debug' })).toMatchObject({ port: 0, logLevel: 'debug' });
    const { exit, written } = captureExit();
    expect(() => loadDevServerEnv([], { KILN_DEVSERVER_PORT: '70000', LOG_LEVEL: 'loud' })).toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
    expect(written()).toContain('Invalid devserver configuration:');
    expect(written()).toMatch(/port:.*\n.*logLevel:/);
  });
});
