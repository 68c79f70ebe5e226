import { join, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

/** A .NET project in `dir` (*.csproj, *.fsproj or *.sln); ASP.NET Core from the Web SDK. */
export async function detectDotnet(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const names = await files.filesIn(dir);
  const projects = names.filter((name) => /\.(cs|fs|vb)proj$/.test(name));
  if (projects.length === 0 && !names.some((name) => name.endsWith('.sln'))) return null;
  const texts = await Promise.all(projects.map((name) => files.read(join(dir, name))));
  const web = texts.some((text) => text?.includes('Microsoft.NET.Sdk.Web') || text?.includes('Microsoft.AspNetCore'));
  return { language: '.NET', framework: web ? 'ASP.NET Core' : null, packageManager: 'NuGet', typescript: false };
}
