import { describe, expect, it } from 'vitest';
import { childEnv, runProcess } from '../../process/run-process';
import { redactSecrets } from '../../domain/redact';

const sh = (script: string) => ({ command: '/bin/sh', args: ['-c', script], env: childEnv() });

describe('runProcess', () => {
  it('delivers every line of both streams, in order, including a last line without newline', async () => {
    const lines: Array<[string, string]> = [];
    const script = 'i=0; while [ $i -lt 2000 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done; printf tail';
    const result = await runProcess({ ...sh(script), onLine: (stream, line) => lines.push([stream, line]) });
    expect(result.exitCode).toBe(0);
    const out = lines.filter(([s]) => s === 'stdout').map(([, l]) => l);
    const err = lines.filter(([s]) => s === 'stderr').map(([, l]) => l);
    expect(out).toEqual([...Array.from({ length: 2000 }, (_, i) => `out ${i}`), 'tail']);
    expect(err).toEqual(Array.from({ length: 2000 }, (_, i) => `err ${i}`));
    expect(result.stderrTail.at(-1)).toBe('err 1999');
  });

  it('kills the whole process group on abort, grandchildren included', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = runProcess({
      ...sh('sleep 30 & echo started; wait'),
      signal: controller.signal,
      onLine: () => controller.abort(),
    });
    const result = await pending;
    expect(result.stoppedBy).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops on the total time limit and on the idle limit', async () => {
    const busy = await runProcess({
      ...sh('while true; do echo tick; sleep 0.05; done'),
      timeoutMs: 500,
      idleTimeoutMs: 5000,
    });
    expect(busy.stoppedBy).toBe('timeout');
    const quiet = await runProcess({ ...sh('echo one; sleep 20'), timeoutMs: 10_000, idleTimeoutMs: 300 });
    expect(quiet.stoppedBy).toBe('idle');
    expect(quiet.durationMs).toBeLessThan(3000);
  });

  it('uses SIGKILL when SIGTERM is ignored', async () => {
    const stubborn = await runProcess({
      ...sh("trap '' TERM; echo ready; sleep 20"),
      idleTimeoutMs: 200,
      killGraceMs: 300,
    });
    expect(stubborn.stoppedBy).toBe('idle');
    expect(stubborn.durationMs).toBeLessThan(3000);
  });
});

describe('childEnv and redactSecrets', () => {
  it('passes PATH on but not the worker secrets', () => {
    process.env.KILN_TEST_SECRET_VAR = 'x';
    const env = childEnv({ EXTRA: '1' });
    expect(env.PATH).toBeTruthy();
    expect(env.EXTRA).toBe('1');
    expect(env.KILN_TEST_SECRET_VAR).toBeUndefined();
    delete process.env.KILN_TEST_SECRET_VAR;
  });

  it('removes URL userinfo and every given secret, also URL-encoded', () => {
    expect(redactSecrets("fatal: unable to access 'https://oauth2:s3cr%2Ft@git.example/x.git/'", ['s3cr/t'])).toBe(
      "fatal: unable to access 'https://[REDACTED]@git.example/x.git/'",
    );
    expect(redactSecrets('token s3cr/t and s3cr%2Ft', ['s3cr/t'])).toBe('token [REDACTED] and [REDACTED]');
  });
});
