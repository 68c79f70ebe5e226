/**
 * Build profiles: the named sizes a service may ask for and the CPU, memory and time each one gets. The Auto CI
 * form, the API, the profile step and the builders all read this table. Pure: no I/O.
 */

/** The sized profiles, smallest first. */
export const sizedBuildProfiles = ['small', 'medium', 'large', 'extra-large', '2x-large', '4x-large'] as const;
export type SizedBuildProfile = (typeof sizedBuildProfiles)[number];

/** What a service may choose: `auto` lets the profile step pick from what it detected. */
export const buildProfiles = ['auto', ...sizedBuildProfiles] as const;
export type BuildProfile = (typeof buildProfiles)[number];

/** CPU, memory and time given to one build. */
export interface BuildResources {
  profile: SizedBuildProfile;
  cpu: number;
  memoryMiB: number;
  timeoutSeconds: number;
}

/** CPU, memory and time limit of each profile (the README and the Auto CI form show this table). */
export const buildProfileResources: Record<SizedBuildProfile, Omit<BuildResources, 'profile'>> = {
  small: { cpu: 1, memoryMiB: 2048, timeoutSeconds: 10 * 60 },
  medium: { cpu: 2, memoryMiB: 4096, timeoutSeconds: 20 * 60 },
  large: { cpu: 4, memoryMiB: 8192, timeoutSeconds: 30 * 60 },
  'extra-large': { cpu: 8, memoryMiB: 16384, timeoutSeconds: 45 * 60 },
  '2x-large': { cpu: 16, memoryMiB: 32768, timeoutSeconds: 60 * 60 },
  '4x-large': { cpu: 32, memoryMiB: 65536, timeoutSeconds: 90 * 60 },
};

/** The resources of a sized profile. */
export function resourcesOf(profile: SizedBuildProfile): BuildResources {
  return { profile, ...buildProfileResources[profile] };
}

/** `8 CPU, 16 GiB, 45 min`: a profile's resources as one line. */
export function describeBuildProfile(profile: SizedBuildProfile): string {
  const r = buildProfileResources[profile];
  return `${r.cpu} CPU, ${r.memoryMiB / 1024} GiB, ${r.timeoutSeconds / 60} min`;
}

/** What the profile step reads of a detected project. */
export interface ProjectSignals {
  language: string | null;
  framework: string | null;
}

/** What the profile step reads of a detection: the project, or a monorepo's sub-projects. */
export interface ProfileSignals extends ProjectSignals {
  buildType: 'single' | 'mono';
  subprojects: ProjectSignals[];
}

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
export function chooseBuildProfile(requested: 'auto' | SizedBuildProfile, detection: ProfileSignals): BuildResources {
  const profile = requested === 'auto' ? autoProfile(detection) : requested;
  return resourcesOf(profile);
}

function autoProfile(detection: ProfileSignals) {
  const projects =
    detection.buildType === 'mono' && detection.subprojects.length > 0 ? detection.subprojects : [detection];
  let index = Math.max(...projects.map(baseIndex));
  if (detection.buildType === 'mono') {
    index = Math.max(index + 1, sizedBuildProfiles.indexOf('large'));
    if (detection.subprojects.length > 8) index += 1;
  }
  return sizedBuildProfiles[Math.min(index, sizedBuildProfiles.length - 1)] ?? 'medium';
}

function baseIndex(project: ProjectSignals): number {
  if (project.language != null && heavyLanguages.has(project.language))
    return sizedBuildProfiles.indexOf('extra-large');
  if (project.framework != null && frontendFrameworks.has(project.framework))
    return sizedBuildProfiles.indexOf('large');
  if (project.language === 'Static' || project.language == null) return sizedBuildProfiles.indexOf('small');
  return sizedBuildProfiles.indexOf('medium');
}

/** The profile table as markdown, for the README and the API docs. */
export function buildProfilesMarkdown(): string {
  const rows = sizedBuildProfiles.map((name) => {
    const p = buildProfileResources[name];
    return `| ${name} | ${p.cpu} | ${p.memoryMiB / 1024} GiB | ${p.timeoutSeconds / 60} min |`;
  });
  return ['| Profile | CPU | Memory | Build timeout |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
