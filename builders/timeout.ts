import type { BuildResources } from '../domain/build-profile';
import { buildProfileResources } from '../domain/build-profile';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/**
 * The "Build timeout" every driver reports, naming the limit that actually applied: the build profile's, or the
 * worker's shorter KILN_MAX_BUILD_SECONDS cap (where a larger profile would not help).
 */
export function buildTimeoutFailure({ profile, timeoutSeconds }: BuildResources) {
  const limit = formatLimit(timeoutSeconds * 1000);
  const capped = timeoutSeconds < buildProfileResources[profile].timeoutSeconds;
  return buildFailure(
    BuildErrorType.BuildTimeout,
    capped
      ? `Build timeout: the build exceeded the worker's build time limit of ${limit} (KILN_MAX_BUILD_SECONDS), shorter than the ${profile} profile's. Optimise the Dockerfile or ask the operator to raise the limit.`
      : `Build timeout: the build exceeded the ${profile} profile's limit of ${limit}. Move up to a larger build profile or optimise the Dockerfile.`,
  );
}

/** `N min` for whole minutes, `N s` otherwise (tests use second-long limits). */
export function formatLimit(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
