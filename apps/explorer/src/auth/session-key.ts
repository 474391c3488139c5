/**
 * The API key the user signed in with. It lives in this tab's sessionStorage only (closed tab,
 * gone key), is sent as `Authorization: Bearer`, and never goes into a URL.
 */
const STORAGE_KEY = 'to11.apiKey';

/** Storage the key is kept in; sessionStorage in the browser. */
export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): KeyStorage {
  return window.sessionStorage;
}

/** The signed-in key, or null. */
export function readApiKey(store: KeyStorage = storage()): string | null {
  const key = store.getItem(STORAGE_KEY);
  return key === null || key === '' ? null : key;
}

/** Keeps `key` for this tab. */
export function saveApiKey(key: string, store: KeyStorage = storage()): void {
  store.setItem(STORAGE_KEY, key.trim());
}

/** Forgets the key (sign out, or a key the API refused). */
export function clearApiKey(store: KeyStorage = storage()): void {
  store.removeItem(STORAGE_KEY);
}
