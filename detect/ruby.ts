import { join, mentionsPackage, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

/** A Ruby project in `dir` (Gemfile, Bundler): Rails or Sinatra; a Jekyll site counts as static. */
export async function detectRuby(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const gemfile = await files.read(join(dir, 'Gemfile'));
  if (gemfile == null) return null;
  // A Jekyll site is built with Ruby but served as static files.
  if (mentionsPackage(gemfile, ['jekyll'])) {
    return { language: 'Static', framework: 'Jekyll', packageManager: 'Bundler', typescript: false };
  }
  const framework = mentionsPackage(gemfile, ['rails'])
    ? 'Rails'
    : mentionsPackage(gemfile, ['sinatra'])
      ? 'Sinatra'
      : null;
  return { language: 'Ruby', framework, packageManager: 'Bundler', typescript: false };
}
