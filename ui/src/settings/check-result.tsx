import type { UseMutationResult } from '@tanstack/react-query';

/** The outcome of a Test connection / Check button, in the words the server (or the provider) used. */
export function CheckResult<T>({
  check,
  describe,
  label,
}: {
  check: UseMutationResult<T, Error, void>;
  describe: (result: T) => string;
  label: string;
}) {
  if (check.isIdle) return null;
  if (check.isPending)
    return (
      <p className="muted" role="status">
        Testing {label}…
      </p>
    );
  if (check.isError)
    return (
      <p className="check-result check-fail" role="alert" aria-label={`${label}: failed`}>
        ✗ {check.error.message}
      </p>
    );
  return (
    <p className="check-result check-ok" role="status" aria-label={`${label}: works`}>
      ✓ {describe(check.data)}
    </p>
  );
}
