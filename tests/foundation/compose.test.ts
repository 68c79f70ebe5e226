import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }> | string[];
}

const compose = parse(readFileSync(new URL('../../temporal.compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, ComposeService>;
};
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`temporal.compose.yml has no service ${name}`);
  return found;
}

function dependencies(name: string): string[] {
  const deps = service(name).depends_on ?? [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
}

describe('temporal.compose.yml', () => {
  it('runs a real Temporal server on PostgreSQL with the Web UI', () => {
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'temporal-postgresql' });
    expect(service('temporal').ports).toContain('7233:7233');
    expect(service('temporal-postgresql').image).toMatch(/^postgres:\d+$/);
    expect(dependencies('temporal')).toEqual(['temporal-postgresql']);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(service('temporal-ui').environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(service('temporal-ui').ports).toContain('8233:8080');
  });

  it('runs the Kiln API and worker against that server and their own database', () => {
    for (const name of ['kiln-api', 'kiln-worker']) {
      const kiln = service(name);
      expect(kiln.build).toBe('.');
      expect(kiln.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
      expect(String(kiln.environment?.DATABASE_URL)).toContain('@kiln-postgresql:5432/');
      expect(dependencies(name).sort()).toEqual(['kiln-postgresql', 'temporal']);
      const script = kiln.command?.at(-1) ?? '';
      expect(packageJson.scripts[script], `npm script ${script}`).toBeDefined();
    }
    expect(service('kiln-api').ports).toContain('8080:8080');
    expect(service('kiln-api').command).toEqual(['npm', 'run', 'start:api']);
    expect(service('kiln-worker').command).toEqual(['npm', 'run', 'start:worker']);
  });

  it('never embeds a secret: the encryption key must come from the caller', () => {
    expect(String(service('kiln-api').environment?.KILN_ENCRYPTION_KEY)).toMatch(/^\$\{KILN_ENCRYPTION_KEY:\?/);
  });
});
