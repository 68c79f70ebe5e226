// Build output Kiln cannot store as it is (NUL, bytes that are not UTF-8) is escaped: the build succeeds and the
// log keeps the line. Run as `npm start` runs (umask 077), so this also shows images keep ordinary file modes.
import { afterAll, describe, expect, it } from 'vitest';
import { PRIVATE_UMASK } from '../../worker/data-dir';
import { buildLog, pushWebhook, registerService, useKilnWorld } from '../pipeline/setup';

const previousUmask = process.umask(PRIVATE_UMASK);
afterAll(() => void process.umask(previousUmask));
const env = useKilnWorld();

describe('build output with NUL and invalid UTF-8', () => {
  it('succeeds, keeps every line readable, and the image keeps the checkout file modes', async () => {
    const { world, kiln } = env;
    const dockerfile = [
      `FROM ${world.busybox}`,
      'COPY app.txt /app.txt',
      // busybox printf: \000 is a NUL byte, \377 a byte that is never valid UTF-8.
      "RUN printf 'before\\n' && printf 'a\\000b\\377c\\n' && printf 'after\\n' && stat -c 'mode %a' /app.txt",
    ].join('\n');
    const { sha } = await world.git.createRepository('binary-noise', {
      Dockerfile: `${dockerfile}\n`,
      'app.txt': 'hi\n',
    });
    const service = await registerService(kiln, world, 'binary-noise');
    const buildId = await pushWebhook(kiln, service, sha);
    const build = await kiln.waitForBuild(buildId, undefined, 120_000);
    const log = await buildLog(kiln, buildId);
    expect(build.status, `${build.error}\n${log.join('\n')}`).toBe('Succeeded');
    const noisy = log.findIndex((line) => line === 'a\\u0000b\ufffdc');
    expect(noisy, log.join('\n')).toBeGreaterThan(-1);
    expect(log.slice(noisy - 1, noisy + 2)).toEqual(['before', 'a\\u0000b\ufffdc', 'after']);
    // The builder ran once: no failed attempt whose lines were lost and written again.
    expect(log.filter((line) => line === 'before')).toHaveLength(1);
    expect(log.join('\n')).not.toMatch(/runs again|attempt 2/i);
    // git and buildah ran with umask 022, not Kiln's 077: a non-root user in the image can read its files.
    expect(log).toContain('mode 644');
  }, 180_000);
});
