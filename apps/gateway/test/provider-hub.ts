/**
 * Several fake providers on the one fake server: provider `<name>` lives under `/<name>/v1`
 * and answers like {@link defaultProvider}, unless the test has put it in `down` (then it
 * answers 503 until taken out again). For routing tests that fail providers on command.
 */
import type { ServerResponse } from 'node:http';
import { type FakeHandler, type ReceivedRequest, sendJson } from './fake-provider.ts';
import { defaultProvider } from './provider-script.ts';

/** The hub's handler and its switch. */
export interface ProviderHub {
  handler: FakeHandler;
  /** Names of the providers that answer 503. */
  down: Set<string>;
  /** `[providers.<name>]` tables for these names, each with `models`. */
  toml(origin: string, providers: Record<string, string[]>): string;
}

/** The provider name of a request path (`/one/v1/chat/completions` → `one`). */
export function providerOf(request: ReceivedRequest): string {
  return request.path.split('/')[1] ?? '';
}

/** A hub; every provider is up at first. */
export function providerHub(): ProviderHub {
  const down = new Set<string>();
  return {
    down,
    handler(request: ReceivedRequest, response: ServerResponse) {
      const name = providerOf(request);
      if (down.has(name)) {
        sendJson(response, 503, { error: { message: `${name} is down`, type: 'server_error' } });
        return;
      }
      const path = request.path.slice(name.length + 1).split('?')[0] ?? '';
      defaultProvider({ ...request, path }, response);
    },
    toml(origin, providers) {
      return Object.entries(providers)
        .map(
          ([name, models]) =>
            `[providers.${name}]\nbase_url = "${origin}/${name}/v1"\nmodels = ${JSON.stringify(models)}`,
        )
        .join('\n');
    },
  };
}
