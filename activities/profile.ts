import { resourcesOf, sizedBuildProfiles, type BuildResources, type SizedBuildProfile } from '../domain/build-profile';
import type { DetectionResult } from './detect/types';

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
  requested: 'auto' | SizedBuildProfile,
  detection: Pick<DetectionResult, 'language' | 'framework' | 'buildType' | 'subprojects'>,
): BuildResources {
  const profile = requested === 'auto' ? autoProfile(detection) : requested;
  return resourcesOf(profile);
}

function autoProfile(detection: Pick<DetectionResult, 'language' | 'framework' | 'buildType' | 'subprojects'>) {
  const projects =
    detection.buildType === 'mono' && detection.subprojects.length > 0 ? detection.subprojects : [detection];
  let index = Math.max(...projects.map(baseIndex));
  if (detection.buildType === 'mono') {
    index = Math.max(index + 1, sizedBuildProfiles.indexOf('large'));
    if (detection.subprojects.length > 8) index += 1;
  }
  return sizedBuildProfiles[Math.min(index, sizedBuildProfiles.length - 1)] ?? 'medium';
}

function baseIndex(project: Pick<DetectionResult, 'language' | 'framework'>): number {
  if (project.language != null && heavyLanguages.has(project.language))
    return sizedBuildProfiles.indexOf('extra-large');
  if (project.framework != null && frontendFrameworks.has(project.framework))
    return sizedBuildProfiles.indexOf('large');
  if (project.language === 'Static' || project.language == null) return sizedBuildProfiles.indexOf('small');
  return sizedBuildProfiles.indexOf('medium');
}
