import type { Service } from '../api/types';

/**
 * What a service still lacks before Auto CI can be turned on. The server's list wins when it sends one
 * (it alone knows whether the organization has a Git token); otherwise the registry is checked here.
 */
export function missingForAutoCi(service: Service): string[] {
  if (service.missingPrerequisites) return service.missingPrerequisites;
  return service.registryId ? [] : ['registry'];
}

/** A sentence naming what is missing, for the disabled Auto CI button's tooltip. */
export function missingSentence(missing: string[]): string {
  const names = missing.map((m) => (m.toLowerCase() === 'git token' ? 'Git token' : m));
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return `Auto CI needs a ${list}: add ${names.length > 1 ? 'them' : 'it'} in the service settings first.`;
}
