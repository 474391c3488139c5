/**
 * The OpenAI SDK pointed at the gateway the way the README tells users to: `baseURL` is the
 * gateway's `/v1`, the to11 key rides in `x-to11-authorization`, the provider key as usual.
 */
import OpenAI from 'openai';

/** The provider key the tests send; the fake provider accepts any. */
export const PROVIDER_KEY = 'sk-e2e-provider-key';

/** An OpenAI client for the gateway at `gatewayUrl` (an origin, without `/v1`). */
export function gatewayOpenAI(gatewayUrl: string, apiKey: string): OpenAI {
  return new OpenAI({
    baseURL: `${gatewayUrl}/v1`,
    apiKey: PROVIDER_KEY,
    defaultHeaders: { 'x-to11-authorization': `Bearer ${apiKey}` },
  });
}
