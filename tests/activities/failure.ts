/** The error a promise rejects with (fails the test if it resolves), typed as a Temporal ApplicationFailure. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { type?: string | null; nonRetryable?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { type?: string | null; nonRetryable?: boolean };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
