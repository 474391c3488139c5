import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { KeyRejected } from '../pages/key-rejected.tsx';

/** A loading line that screen readers announce. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status">
      Loading {what}…
    </p>
  );
}

/** A failed request: the key page for 401/403, otherwise what failed and a retry button. */
export function LoadError({ error, retry }: { error: unknown; retry: () => void }): ReactNode {
  if (error instanceof ApiError && error.isAuth) return <KeyRejected error={error} />;
  const message =
    error instanceof ApiError
      ? `${error.status} ${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="state error" role="alert">
      <p>Could not load from the read API: {message}</p>
      <p className="hint">
        Is the collector running? The explorer reads from the origin it was served by.
      </p>
      <button type="button" onClick={retry}>
        Retry
      </button>
    </div>
  );
}
