import { join, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

/** A static site in `dir`: an index.html at the top or in public/, or a Hugo site (Jekyll is found by ruby.ts). */
export async function detectStaticSite(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const names = new Set(await files.filesIn(dir));
  let framework: string | null = null;
  const config = names.has('config.toml') ? await files.read(join(dir, 'config.toml')) : null;
  if (names.has('hugo.toml') || /^baseURL\s*=/m.test(config ?? '')) {
    framework = 'Hugo';
  } else if (!names.has('index.html') && !(await files.isFile(join(dir, 'public/index.html')))) {
    return null;
  }
  return { language: 'Static', framework, packageManager: null, typescript: false };
}
