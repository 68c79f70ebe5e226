import { ApplicationFailure } from '@temporalio/common';

/**
 * Every build error a user can see, in one place. The key is the failure `type` Temporal records; the
 * message given to `buildFailure` says what happened and what to do next.
 */
export const BuildErrorType = {
  DockerfileNotFound: 'DockerfileNotFound',
  GitCloneFailed: 'GitCloneFailed',
  InvalidGitRef: 'InvalidGitRef',
  RegistryAuthFailed: 'RegistryAuthFailed',
  RegistryUnavailable: 'RegistryUnavailable',
  BuildFailed: 'BuildFailed',
  BuildTimeout: 'BuildTimeout',
  BuildStuckPending: 'BuildStuckPending',
  BuildNoOutput: 'BuildNoOutput',
  BuildOutOfMemory: 'BuildOutOfMemory',
  ImagePullBackOff: 'ImagePullBackOff',
  Unschedulable: 'Unschedulable',
  PermissionDenied: 'PermissionDenied',
  NamespaceNotFound: 'NamespaceNotFound',
  DeployFailed: 'DeployFailed',
  ConfigurationError: 'ConfigurationError',
} as const;

export type BuildErrorType = (typeof BuildErrorType)[keyof typeof BuildErrorType];

/** A permanent build fault: Temporal does not retry it and the workflow reports `message` to the user. */
export function buildFailure(type: BuildErrorType, message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, cause });
}

/** A fault that may pass (a registry or provider briefly unreachable): Temporal retries the step before giving up. */
export function transientFailure(type: BuildErrorType, message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: false, cause });
}
