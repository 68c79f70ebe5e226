import { describe, expect, it } from 'vitest';
import { selectSubprojectsForChanges, type Subproject } from '../../detect';

const sub = (path: string, dockerfile = true): Subproject => ({
  name: path.split('/').pop() ?? path,
  path,
  dockerfilePath: dockerfile ? `${path}/Dockerfile` : null,
  language: 'Node.js',
  framework: null,
});
const subprojects = [sub('apps/web'), sub('apps/api'), sub('apps/worker'), sub('packages/ui', false)];
const names = (selected: Subproject[]) => selected.map((s) => s.path);

describe('selectSubprojectsForChanges', () => {
  it('builds only the sub-projects whose folders changed', () => {
    expect(names(selectSubprojectsForChanges(subprojects, ['apps/web/src/page.tsx', 'apps/web/README.md']))).toEqual([
      'apps/web',
    ]);
    expect(names(selectSubprojectsForChanges(subprojects, ['apps/api/main.ts', 'apps/worker/Dockerfile']))).toEqual([
      'apps/api',
      'apps/worker',
    ]);
  });

  it('does not confuse a folder with a sibling sharing its prefix', () => {
    expect(names(selectSubprojectsForChanges(subprojects, ['apps/web-old/index.ts']))).toEqual([]);
  });

  it('ignores root files that do not affect builds', () => {
    expect(names(selectSubprojectsForChanges(subprojects, ['README.md', 'docs/setup.md']))).toEqual([]);
  });

  it('rebuilds every buildable sub-project for shared lockfiles, shared libraries or unknown changes', () => {
    const all = ['apps/web', 'apps/api', 'apps/worker'];
    expect(names(selectSubprojectsForChanges(subprojects, ['pnpm-lock.yaml']))).toEqual(all);
    expect(names(selectSubprojectsForChanges(subprojects, ['packages/ui/button.tsx']))).toEqual(all);
    expect(names(selectSubprojectsForChanges(subprojects, undefined))).toEqual(all);
    expect(names(selectSubprojectsForChanges(subprojects, []))).toEqual(all);
    expect(names(selectSubprojectsForChanges(subprojects, ['apps/web/x.ts'], { mode: 'all' }))).toEqual(all);
  });

  it('lets the service choose which root files rebuild everything', () => {
    const options = { rebuildAllOn: ['shared/**'] };
    expect(names(selectSubprojectsForChanges(subprojects, ['pnpm-lock.yaml'], options))).toEqual([]);
    expect(names(selectSubprojectsForChanges(subprojects, ['shared/config.ts'], options))).toHaveLength(3);
  });

  it('selects a sub-project whose Dockerfile lives outside its folder when that Dockerfile changes', () => {
    const outside = { ...sub('apps/web'), dockerfilePath: 'docker/web.Dockerfile' };
    expect(names(selectSubprojectsForChanges([outside, sub('apps/api')], ['docker/web.Dockerfile']))).toEqual([
      'apps/web',
    ]);
  });
});
