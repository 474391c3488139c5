import type { HttpBindings } from '@hono/node-server';
import type { AuthFailureLimiter, KeyPrincipal } from '@to11/store';

/**
 * Typed per-request context of the collector's HTTP app. `Bindings` are the Node request and
 * response when served by @hono/node-server (absent under `app.request()` in tests).
 */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** The verified API key (admin and read API). */
    principal: KeyPrincipal;
    /** The project a read-API request reads from. */
    projectId: string;
    /** Failed authentication per client address (`auth-failures.ts`); unset counts nothing. */
    authFailures: AuthFailureLimiter | undefined;
  };
}
