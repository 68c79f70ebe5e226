import { join, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

const frameworks: Array<[module: string, framework: string]> = [
  ['github.com/gin-gonic/gin', 'Gin'],
  ['github.com/labstack/echo', 'Echo'],
  ['github.com/gofiber/fiber', 'Fiber'],
  ['github.com/go-chi/chi', 'Chi'],
  ['github.com/gorilla/mux', 'Gorilla'],
];

/** A Go module in `dir` (go.mod), with the web framework it requires, if any. */
export async function detectGo(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const goMod = await files.read(join(dir, 'go.mod'));
  if (goMod == null) return null;
  const framework = frameworks.find(([module]) => goMod.includes(module))?.[1] ?? null;
  return { language: 'Go', framework, packageManager: 'Go modules', typescript: false };
}
