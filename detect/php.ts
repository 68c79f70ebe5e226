import { join, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

interface ComposerJson {
  require?: Record<string, string>;
}

/** A PHP project in `dir` (composer.json, Composer): Laravel or Symfony. */
export async function detectPhp(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const composer = await files.json<ComposerJson>(join(dir, 'composer.json'));
  if (composer == null) return null;
  const packages = Object.keys(composer.require ?? {});
  const framework = packages.includes('laravel/framework')
    ? 'Laravel'
    : packages.some((name) => name.startsWith('symfony/'))
      ? 'Symfony'
      : null;
  return { language: 'PHP', framework, packageManager: 'Composer', typescript: false };
}
