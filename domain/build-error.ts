/**
 * Every build error a user can see, in one place: activities throw them (`buildFailure`), workflows decide retries
 * from them, and the API and UI filter on them. The key is the failure `type` Temporal records. Pure: no I/O, safe
 * in workflows.
 */
import { ApplicationFailure } from '@temporalio/common';

/** Every way a build can fail, as the failure type workflows, activities, the API and the UI share. */
export const BuildErrorType = {
  DockerfileNotFound: 'DockerfileNotFound',
  GitCloneFailed: 'GitCloneFailed',
  InvalidGitRef: 'InvalidGitRef',
  RegistryAuthFailed: 'RegistryAuthFailed',
  RegistryUnavailable: 'RegistryUnavailable',
  /** GitLab or GitHub answered 5xx or could not be reached. */
  ProviderUnavailable: 'ProviderUnavailable',
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
  /** A monorepo build whose sub-project builds did not all succeed. */
  SubprojectsFailed: 'SubprojectsFailed',
  /** The build was cancelled by a user, a newer push or a closed merge request. */
  Cancelled: 'Cancelled',
} as const;

export type BuildErrorType = (typeof BuildErrorType)[keyof typeof BuildErrorType];

/** Faults that may pass on their own (a registry or Git provider briefly unreachable): the step is retried first. */
export const retryableBuildErrors: readonly BuildErrorType[] = [
  BuildErrorType.RegistryUnavailable,
  BuildErrorType.ProviderUnavailable,
];

/** Every other build error: retrying cannot fix it, so the step fails at once (the retry policies list these). */
export const nonRetryableBuildErrors: readonly BuildErrorType[] = Object.values(BuildErrorType).filter(
  (type) => !retryableBuildErrors.includes(type),
);

/** True when retrying the step may succeed. */
export function isRetryableBuildError(type: BuildErrorType): boolean {
  return retryableBuildErrors.includes(type);
}

/**
 * A build fault the workflow reports to the user as `message`. Temporal retries the step only when the type may
 * pass (a registry briefly unreachable); every other type fails the step at once.
 */
export function buildFailure(type: BuildErrorType, message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: !isRetryableBuildError(type), cause });
}
