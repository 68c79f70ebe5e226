import { ApplicationFailure } from '@temporalio/common';
import { isRetryableBuildError, type BuildErrorType } from '../domain/build-error';

// The error vocabulary and which errors are retryable live in domain/build-error.ts (workflows read it too);
// this turns one into the failure an activity throws.

/**
 * A build fault the workflow reports to the user as `message`. Temporal retries the step only when the domain
 * says the type may pass (a registry briefly unreachable); every other type fails the step at once.
 */
export function buildFailure(type: BuildErrorType, message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: !isRetryableBuildError(type), cause });
}
