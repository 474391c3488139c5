import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { clearApiKey, readApiKey, saveApiKey } from './session-key.ts';

interface ApiKeyState {
  apiKey: string | null;
  signIn(key: string): void;
  signOut(): void;
}

const ApiKeyContext = createContext<ApiKeyState | null>(null);

/** Holds the signed-in key for the page (mirrored in sessionStorage). */
export function ApiKeyProvider({ children }: { children: ReactNode }) {
  const [apiKey, setApiKey] = useState<string | null>(() => readApiKey());
  const signIn = useCallback((key: string) => {
    saveApiKey(key);
    setApiKey(key.trim());
  }, []);
  const signOut = useCallback(() => {
    clearApiKey();
    setApiKey(null);
  }, []);
  const value = useMemo(() => ({ apiKey, signIn, signOut }), [apiKey, signIn, signOut]);
  return <ApiKeyContext.Provider value={value}>{children}</ApiKeyContext.Provider>;
}

/** The signed-in key and the sign-in/out actions. */
export function useApiKey(): ApiKeyState {
  const state = useContext(ApiKeyContext);
  if (state === null) throw new Error('useApiKey outside ApiKeyProvider');
  return state;
}

/** The key of a signed-in page (pages render only after sign-in). */
export function useSignedInKey(): string {
  const { apiKey } = useApiKey();
  if (apiKey === null) throw new Error('useSignedInKey before sign-in');
  return apiKey;
}
