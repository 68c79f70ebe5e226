import madge from 'madge';
import { describe, expect, it } from 'vitest';

// Every layer, type imports included: a cycle means two modules each need the other, so neither has one place.
const layers = [
  'domain',
  'config',
  'clients',
  'git',
  'process',
  'build-log',
  'detect',
  'dockerfile-generator',
  'builders',
  'db',
  'activities',
  'workflows',
  'api',
  'worker',
  'server',
  'devserver',
  'ui/src',
];

describe('module structure', () => {
  it('has no import cycle, type imports included', async () => {
    const graph = await madge(layers, {
      fileExtensions: ['ts', 'tsx'],
      tsConfig: 'tsconfig.json',
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    expect(graph.circular()).toEqual([]);
  }, 120_000);
});
