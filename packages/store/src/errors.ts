/** Errors the store throws at its edges. Expected write failures are values (`WriteResult`). */

/** The database could not be reached or opened. The message never contains a password. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** An input the store refuses (unknown project, malformed secret, bad cursor...). */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db`; non-URLs are returned as is. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
      if (key.toLowerCase() === 'password') url.searchParams.set(key, 'redacted');
    }
    return url.toString();
  } catch {
    return databaseUrl.replace(/:[^:@/]*@/, '@');
  }
}

/** The message of anything thrown, without the stack. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || String(code ?? error.name);
    return message;
  }
  return String(error);
}

/** `error` as an Error, for `WriteResult`. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
