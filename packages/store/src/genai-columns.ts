/**
 * The GenAI columns of a span row, read from its attributes at write time (SPEC §7) so the
 * trace list can filter and sum without opening the jsonb. The attributes may follow any
 * convention trace-core's normalised GenAI view reads (OTel GenAI semconv current and older,
 * Vercel AI SDK, OpenInference, OpenLLMetry, Langfuse); the attributes themselves are stored
 * unchanged. A span with tokens but no cost (ingested from a library) is priced with the
 * gateway's price table, so cost totals do not depend on who recorded the call.
 */
import { type Attributes, costOf, type GenAiFields, genAiView } from '@to11/trace-core';

/** The derived columns; null when the span does not carry the attribute. */
export type GenAiColumns = Pick<
  GenAiFields,
  | 'operation'
  | 'provider'
  | 'requestModel'
  | 'responseModel'
  | 'inputTokens'
  | 'outputTokens'
  | 'cost'
  | 'sessionId'
>;

/** Reads the GenAI columns of one span's attributes. */
export function genAiColumns(attributes: Attributes): GenAiColumns {
  const view = genAiView(attributes);
  return {
    operation: view.operation,
    provider: view.provider,
    requestModel: view.requestModel,
    responseModel: view.responseModel,
    inputTokens: view.inputTokens,
    outputTokens: view.outputTokens,
    cost:
      view.cost ??
      costOf([view.responseModel, view.requestModel], {
        inputTokens: view.inputTokens ?? undefined,
        outputTokens: view.outputTokens ?? undefined,
        cacheReadTokens: view.cacheReadInputTokens ?? undefined,
        cacheWriteTokens: view.cacheCreationInputTokens ?? undefined,
      }) ??
      null,
    sessionId: view.sessionId,
  };
}
