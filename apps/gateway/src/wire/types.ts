/**
 * What the gateway extracts from requests and responses for its spans: the OTel GenAI
 * semantic-conventions message "parts" form for content, and normalised usage.
 */
import type { Attributes } from '@to11/trace-core';

/** `gen_ai.operation.name` values the gateway records (reference §4.3). */
export type GenAiOperation =
  | 'chat'
  | 'generate_content'
  | 'embeddings'
  | 'image_generation'
  | 'audio_speech'
  | 'audio_transcription';

/** One message part (semconv GenAI input/output messages JSON schema). */
export type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool_call'; id?: string; name: string; arguments?: unknown }
  | { type: 'tool_call_response'; id?: string; response: unknown }
  | { type: 'uri'; modality: string; uri: string; mime_type?: string }
  | { type: 'blob'; modality: string; content: string; mime_type?: string }
  | { type: 'file'; modality: string; file_id: string; mime_type?: string };

/** One input or output message. */
export interface ChatMessage {
  role: string;
  parts: MessagePart[];
  finish_reason?: string;
}

/** What a request says about the call. */
export interface RequestTelemetry {
  model: string;
  operation: GenAiOperation;
  /** The caller asked for a stream. */
  stream: boolean;
  /** `gen_ai.request.*`, `gen_ai.output.type`, embeddings attributes; only values that are set. */
  attributes: Attributes;
  input?: ChatMessage[] | undefined;
  system?: MessagePart[] | undefined;
  userId?: string | undefined;
}

/** Token usage, normalised: `inputTokens` includes cached tokens (semconv). */
export interface Usage {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
  reasoningTokens?: number | undefined;
}

/** A tool call in the model's answer. */
export interface ToolCall {
  id?: string | undefined;
  name: string;
  arguments?: string | undefined;
  /** When the gateway saw it start and complete (nanoseconds). */
  startNs: bigint;
  endNs: bigint;
}

/** What a response (or an accumulated stream) says about the call. */
export interface ResponseTelemetry {
  id?: string | undefined;
  model?: string | undefined;
  finishReasons?: string[] | undefined;
  usage: Usage;
  output?: ChatMessage[] | undefined;
  toolCalls: ToolCall[];
}

/** An empty {@link ResponseTelemetry}. */
export function emptyResponse(): ResponseTelemetry {
  return { usage: {}, toolCalls: [] };
}

/** Parts of plain text, or undefined when empty. */
export function textParts(text: string | undefined): MessagePart[] | undefined {
  return text ? [{ type: 'text', content: text }] : undefined;
}
