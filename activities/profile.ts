import { buildProfileNames, type BuildProfileName, type BuildResources } from './builders/builder';
import type { DetectionResult } from './detect/types';

/** CPU, memory and time limit of each build profile (the README shows this table). */
export const buildProfiles: Record<BuildProfileName, Omit<BuildResources, 'profile'>> = {
  small: { cpu: 1, memoryMiB: 2048, timeoutSeconds: 10 * 60 },
  medium: { cpu: 2, memoryMiB: 4096, timeoutSeconds: 20 * 60 },
  large: { cpu: 4, memoryMiB: 8192, timeoutSeconds: 30 * 60 },
  'extra-large': { cpu: 8, memoryMiB: 16384, timeoutSeconds: 45 * 60 },
  '2x-large': { cpu: 16, memoryMiB: 32768, timeoutSeconds: 60 * 60 },
  '4x-large': { cpu: 32, memoryMiB: 65536, timeoutSeconds: 90 * 60 },
};

const frontendFrameworks = new Set(['React', 'Next.js', 'Vue', 'Nuxt', 'Angular', 'Svelte']);
const heavyLanguages = new Set(['Java', 'Kotlin', 'Rust', '.NET']);

/**
 * The resources for a build. An explicit profile always wins. `auto` picks from the detection:
 * - small: static sites (or nothing recognised but a Dockerfile);
 * - medium: Node.js/Python/Go/Ruby/PHP services;
 * - large: frontend frameworks (React, Next.js, Vue, Nuxt, Angular, Svelte);
 * - extra-large: JVM, Rust and .NET builds;
 * then a monorepo goes one step up (at least large), and a monorepo of more than 8 sub-projects one more.
 */
export function chooseBuildProfile(
  requested: 'auto' | BuildProfileName,
  detection: Pick<DetectionResult, 'language' | 'framework' | 'buildType' | 'subprojects'>,
): BuildResources {
  const profile = requested === 'auto' ? autoProfile(detection) : requested;
  return { profile, ...buildProfiles[profile] };
}

function autoProfile(detection: Pick<DetectionResult, 'language' | 'framework' | 'buildType' | 'subprojects'>) {
  const projects =
    detection.buildType === 'mono' && detection.subprojects.length > 0 ? detection.subprojects : [detection];
  let index = Math.max(...projects.map(baseIndex));
  if (detection.buildType === 'mono') {
    index = Math.max(index + 1, buildProfileNames.indexOf('large'));
    if (detection.subprojects.length > 8) index += 1;
  }
  return buildProfileNames[Math.min(index, buildProfileNames.length - 1)] ?? 'medium';
}

function baseIndex(project: Pick<DetectionResult, 'language' | 'framework'>): number {
  if (project.language != null && heavyLanguages.has(project.language)) return buildProfileNames.indexOf('extra-large');
  if (project.framework != null && frontendFrameworks.has(project.framework)) return buildProfileNames.indexOf('large');
  if (project.language === 'Static' || project.language == null) return buildProfileNames.indexOf('small');
  return buildProfileNames.indexOf('medium');
}

/** The profile table as markdown, for the README and the API docs. */
export function buildProfilesMarkdown(): string {
  const rows = buildProfileNames.map((name) => {
    const p = buildProfiles[name];
    return `| ${name} | ${p.cpu} | ${p.memoryMiB / 1024} GiB | ${p.timeoutSeconds / 60} min |`;
  });
  return ['| Profile | CPU | Memory | Build timeout |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
