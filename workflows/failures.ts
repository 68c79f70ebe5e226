import { TimeoutType } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TimeoutFailure } from '@temporalio/workflow';
import { BuildErrorType } from '../domain/build-error';

/** A failure as the user reads it: the message, and the error type the UI and API can filter on. */
export interface BuildError {
  type: string;
  message: string;
}

/** Limits a failure message names; the default is the documented 5-minute pending limit. */
export interface FailureLimits {
  pendingTimeoutSeconds: number;
}

function stuckPending(limits: FailureLimits): BuildError {
  const seconds = limits.pendingTimeoutSeconds;
  const waited = seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
  return {
    type: BuildErrorType.BuildStuckPending,
    message: `Build stuck in pending: every build slot stayed busy for ${waited}. Wait for running builds to finish, or cancel the ones you do not need.`,
  };
}

/** Turns whatever a step threw into the message a user sees on the build. */
export function describeBuildError(
  error: unknown,
  step: string,
  limits: FailureLimits = { pendingTimeoutSeconds: 300 },
): BuildError {
  if (error instanceof ChildWorkflowFailure) {
    const inner = describeBuildError(error.cause, step, limits);
    return { type: inner.type, message: inner.message };
  }
  if (error instanceof ActivityFailure) {
    const cause = error.cause;
    if (cause instanceof TimeoutFailure) return describeTimeout(cause, step, limits);
    if (cause instanceof ApplicationFailure)
      return { type: cause.type ?? BuildErrorType.BuildFailed, message: cause.message };
    return { type: BuildErrorType.BuildFailed, message: `${step} failed: ${cause?.message ?? error.message}` };
  }
  if (error instanceof ApplicationFailure)
    return { type: error.type ?? BuildErrorType.BuildFailed, message: error.message };
  if (error instanceof Error) return { type: BuildErrorType.BuildFailed, message: `${step} failed: ${error.message}` };
  return { type: BuildErrorType.BuildFailed, message: `${step} failed.` };
}

function describeTimeout(timeout: TimeoutFailure, step: string, limits: FailureLimits): BuildError {
  switch (timeout.timeoutType) {
    case TimeoutType.SCHEDULE_TO_START:
      return stuckPending(limits);
    case TimeoutType.HEARTBEAT:
      return {
        type: BuildErrorType.BuildFailed,
        message: `${step} failed: the worker running it stopped responding. Retry the build; if it repeats, check the worker.`,
      };
    default:
      return {
        type: BuildErrorType.BuildTimeout,
        message: `Build timeout: the ${step} step exceeded its time limit. Move up to a larger build profile or optimise the Dockerfile.`,
      };
  }
}
