import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, fetchTraceList } from '../api/client.ts';
import { useApiKey } from '../auth/api-key-context.tsx';
import { rejectionText } from './key-rejected.tsx';

/**
 * Sign-in with an API key that has `traces:read`. The key is tried against the read API first
 * (one `limit=1` list), so a wrong key is told at once and never stored.
 */
export function SignInPage() {
  const { signIn } = useApiKey();
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed === '') {
      setProblem('Paste an API key first.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await fetchTraceList(new URLSearchParams({ limit: '1' }), trimmed);
      queryClient.clear();
      signIn(trimmed);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.isAuth
          ? rejectionText(error)
          : `Could not reach the read API: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>to11 trace explorer</h1>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key with traces:read</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          placeholder="to11_live_…"
          value={key}
          onChange={(event) => setKey(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {problem !== null && (
          <p className="state error" role="alert">
            {problem}
          </p>
        )}
      </form>
      <p className="hint">
        The key stays in this tab (session storage) and is sent as a bearer header, never in a URL.
        <code>pnpm start</code> prints the first key once;{' '}
        <code>to11 keys create --project &lt;id&gt; --scopes traces:read</code> makes another.
      </p>
    </main>
  );
}
