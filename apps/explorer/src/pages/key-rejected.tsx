import { useQueryClient } from '@tanstack/react-query';
import type { ApiError } from '../api/client.ts';
import { useApiKey } from '../auth/api-key-context.tsx';

/** Why a key was refused, in words a newcomer can act on. */
export function rejectionText(error: ApiError): string {
  if (error.status === 401) {
    return 'The API refused this key: it is wrong, expired or revoked.';
  }
  return 'This key is valid but may not read traces here: it needs the traces:read scope (and, for an organization key, a project).';
}

/** The page shown when the read API answers 401 or 403. */
export function KeyRejected({ error }: { error: ApiError }) {
  const { signOut } = useApiKey();
  const queryClient = useQueryClient();
  return (
    <div className="state error key-rejected" role="alert">
      <h2>{error.status === 401 ? 'Key not accepted' : 'Key not allowed'}</h2>
      <p>{rejectionText(error)}</p>
      <p className="hint">
        The API said: {error.status} {error.code}: {error.message}
      </p>
      <button
        type="button"
        onClick={() => {
          queryClient.clear();
          signOut();
        }}
      >
        Sign in with another key
      </button>
    </div>
  );
}
