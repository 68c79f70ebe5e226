import { describe, expect, it } from 'vitest';
import { buildTimeoutFailure } from '../../builders/timeout';
import { buildProfileResources } from '../../domain/build-profile';

describe('"Build timeout" wording', () => {
  it('sends the user to a larger profile when the profile limit was hit', () => {
    const failure = buildTimeoutFailure({ profile: 'medium', ...buildProfileResources.medium });
    expect(failure.type).toBe('BuildTimeout');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      "Build timeout: the build exceeded the medium profile's limit of 20 min. Move up to a larger build profile or optimise the Dockerfile.",
    );
  });

  it("names the worker's cap when it was shorter than the profile, where a larger profile would not help", () => {
    const failure = buildTimeoutFailure({ profile: 'large', ...buildProfileResources.large, timeoutSeconds: 600 });
    expect(failure.message).toMatch(/^Build timeout: the build exceeded the worker's build time limit of 10 min/);
    expect(failure.message).not.toMatch(/larger build profile/);
  });
});
