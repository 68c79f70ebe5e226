import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

/** Renders pending and error states of a query before its data, as TanStack Query's examples do. */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  if (query.isError)
    return (
      <div className="error-box" role="alert">
        <p>
          Could not load {what}: {query.error.message}
        </p>
        <button type="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </div>
    );
  return <>{children(query.data)}</>;
}
