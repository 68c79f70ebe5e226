import { join, mentionsPackage, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

const frameworks: Array<[crate: string, framework: string]> = [
  ['actix-web', 'Actix Web'],
  ['axum', 'Axum'],
  ['rocket', 'Rocket'],
];

/** A Rust crate or workspace in `dir` (Cargo.toml), with its web framework. */
export async function detectRust(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const cargo = await files.read(join(dir, 'Cargo.toml'));
  if (cargo == null) return null;
  const framework = frameworks.find(([crate]) => mentionsPackage(cargo, [crate]))?.[1] ?? null;
  return { language: 'Rust', framework, packageManager: 'Cargo', typescript: false };
}
