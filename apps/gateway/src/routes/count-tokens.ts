/**
 * `POST /v1/messages/count_tokens`: forwarded to the Anthropic-format provider of the model;
 * answered in the Anthropic envelope; no GenAI span (reference §2.2), the upstream request
 * carries the HTTP span as its parent.
 */
import type { Handler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { errorResponse, GatewayError } from '../errors.ts';
import { sameBody } from '../invoke/exchange.ts';
import { readJsonRequest } from '../invoke/read-request.ts';
import { classifyUpstream, upstreamErrorResponse } from '../invoke/upstream-errors.ts';
import { callerProviderKey, responseHeaders, upstreamHeaders } from '../invoke/upstream-headers.ts';
import { upstreamUrl } from '../invoke/upstream-url.ts';
import { callerHeaders } from '../node-io/caller-headers.ts';
import { clientLink } from '../node-io/client-link.ts';
import { nodeExchange } from '../node-io/node-exchange.ts';
import { UpstreamCall } from '../node-io/upstream-call.ts';
import { RoutePlan } from '../routing/route-plan.ts';
import { anthropicRequest } from '../wire/anthropic/messages.ts';

/** The count_tokens handler. */
export function countTokens(deps: AppDeps): Handler<AppEnv> {
  return async (c) => {
    const request = await readJsonRequest(c, anthropicRequest);
    const step = RoutePlan.resolve(request.model, 'chat', deps.config)?.next();
    if (!step) {
      throw new GatewayError(
        'model_not_found',
        `model \`${request.model}\` is not served by this gateway`,
      );
    }
    const { provider, model } = step.attempt;
    if (provider.format !== 'anthropic') {
      throw new GatewayError('bad_request', 'count_tokens is only available for Anthropic models');
    }
    const trace = c.get('trace');
    const node = nodeExchange(c.env);
    const incoming = callerHeaders(node.incoming);
    const key = callerProviderKey(incoming);
    const headers = upstreamHeaders(incoming, {
      provider,
      credential: step.attempt.credential,
      callerKey: key === c.get('to11Key') ? undefined : key,
      traceparent: trace.traceparent,
      tracestate: trace.traceState,
      contentType: 'application/json',
      crossFormat: false,
    });
    const { body } = await sameBody(request, model);
    const client = clientLink(node.outgoing);
    const call = new UpstreamCall(step.attempt.timeoutMs, client);
    try {
      const response = await call.send(upstreamUrl(provider, 'count_tokens'), {
        headers,
        body,
      });
      const text = await response.text();
      if (!response.ok) {
        return upstreamErrorResponse({
          status: response.status,
          text,
          headers: response.headers,
          code: classifyUpstream(response.status, text),
          providerId: provider.id,
          dialect: 'anthropic',
          crossFormat: false,
        });
      }
      return new Response(text, {
        status: response.status,
        headers: responseHeaders(response.headers),
      });
    } catch (error) {
      const failure = call.failure(error);
      if (failure.kind === 'client_abort') return new Response(null, { status: 499 });
      const status = failure.kind === 'timeout' ? 504 : 502;
      return errorResponse(new GatewayError('upstream', failure.message, { status }), 'anthropic');
    } finally {
      call.dispose();
    }
  };
}
