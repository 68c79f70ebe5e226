import { detectDotnet } from './dotnet';
import type { RepoFiles } from './files';
import { detectGo } from './go';
import { detectJvm } from './jvm';
import { detectNode } from './node';
import { detectPhp } from './php';
import { detectPython } from './python';
import { detectRuby } from './ruby';
import { detectRust } from './rust';
import { detectStaticSite } from './static-site';
import type { ProjectInfo } from './types';

// Backends first: a Django, Rails, Laravel or Spring app often carries a package.json only for its assets.
const detectors = [
  detectGo,
  detectJvm,
  detectRust,
  detectDotnet,
  detectPhp,
  detectPython,
  detectRuby,
  detectNode,
  detectStaticSite,
];

/** What the project in folder `dir` is; `language: null` when nothing is recognised. */
export async function detectProjectInfo(files: RepoFiles, dir: string): Promise<ProjectInfo> {
  for (const detect of detectors) {
    const info = await detect(files, dir);
    if (info != null) {
      // TypeScript alongside a backend (a frontend folder, tooling) still counts for the "TypeScript" field.
      if (!info.typescript && info.language !== 'Node.js')
        info.typescript = (await detectNode(files, dir))?.typescript ?? false;
      return info;
    }
  }
  return { language: null, framework: null, packageManager: null, typescript: false };
}
