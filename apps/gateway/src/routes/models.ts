/**
 * `GET /v1/models`: the models this gateway routes by name: those listed in `to11.toml`
 * (providers and routes) and those with a known price. Shaped for both SDKs (OpenAI `object`,
 * `owned_by`; Anthropic `type`, `display_name`, `has_more`).
 */
import { PRICES } from '@to11/trace-core';
import type { Handler } from 'hono';
import type { GatewayConfig } from '../config-types.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { providerForModel } from '../routing/provider-for-model.ts';

function modelList(config: GatewayConfig): { id: string; owner: string }[] {
  const seen = new Map<string, string>();
  for (const provider of config.providers) {
    for (const model of provider.models) seen.set(model, provider.id);
  }
  for (const route of config.routes) {
    for (const model of route.models) seen.set(model, 'to11');
  }
  for (const model of Object.keys(PRICES)) {
    if (!seen.has(model)) seen.set(model, providerForModel(model, config.providers)?.id ?? 'to11');
  }
  return [...seen].map(([id, owner]) => ({ id, owner })).sort((a, b) => a.id.localeCompare(b.id));
}

/** The models handler. */
export function models(deps: AppDeps): Handler<AppEnv> {
  const list = modelList(deps.config);
  const body = JSON.stringify({
    object: 'list',
    data: list.map(({ id, owner }) => ({
      id,
      object: 'model',
      type: 'model',
      created: 0,
      created_at: '1970-01-01T00:00:00Z',
      owned_by: owner,
      display_name: id,
    })),
    has_more: false,
    first_id: list[0]?.id ?? null,
    last_id: list[list.length - 1]?.id ?? null,
  });
  return () => new Response(body, { headers: { 'content-type': 'application/json' } });
}
