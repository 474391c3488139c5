/**
 * Client context headers → GenAI span attributes (reference §3.3–§3.5): user, session,
 * conversation and environment (both spellings; the `x-to11-` form wins), prompt provenance,
 * and the client-declared operation that adds a sibling span (`x-to11-context-operation`).
 */
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_DATA_SOURCE_ID,
} from '@opentelemetry/semantic-conventions/incubating';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_SESSION_ID,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USER_ID,
  ATTR_PROMPT_ID,
  ATTR_PROMPT_VERSION,
  type Attributes,
} from '@to11/trace-core';
import { truncateUtf8 } from './content-capture.ts';

type HeaderReader = (name: string) => string | undefined;

const MAX_HEADER_VALUE_BYTES = 1024;

function first(read: HeaderReader, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = read(name)?.trim();
    if (value) return truncateUtf8(value, MAX_HEADER_VALUE_BYTES);
  }
  return undefined;
}

/** Client context attributes; `bodyUser` is the request body's user (the header wins). */
export function clientContext(read: HeaderReader, bodyUser: string | undefined): Attributes {
  const attributes: Attributes = {};
  const entries: [string, string | undefined][] = [
    [ATTR_GEN_AI_USER_ID, first(read, 'x-to11-user-id') ?? bodyUser],
    [ATTR_GEN_AI_SESSION_ID, first(read, 'x-to11-session-id')],
    [ATTR_GEN_AI_CONVERSATION_ID, first(read, 'x-to11-conversation-id', 'x-conversation-id')],
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME, first(read, 'x-to11-env', 'x-to11-environment')],
    [ATTR_PROMPT_ID, first(read, 'x-to11-prompt-id')],
    [ATTR_PROMPT_VERSION, first(read, 'x-to11-prompt-version')],
    ['prompt.release.id', first(read, 'x-to11-prompt-release-id', 'x-to11-release-id')],
    ['prompt.variant.name', first(read, 'x-to11-prompt-variant-name', 'x-to11-variant-name')],
  ];
  for (const [key, value] of entries) {
    if (value !== undefined) attributes[key] = value;
  }
  const labels = first(read, 'x-to11-prompt-labels')
    ?.split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
  if (labels && labels.length > 0) attributes['prompt.labels'] = labels;
  return attributes;
}

/** The client-context operations of reference §3.4. */
export const CONTEXT_OPERATIONS = [
  'execute_tool',
  'retrieval',
  'invoke_agent',
  'create_agent',
] as const;

/** A declared client-context operation. */
export type ContextOperation = (typeof CONTEXT_OPERATIONS)[number];

const DETAIL_HEADERS: [string, string][] = [
  ['x-to11-context-tool-name', ATTR_GEN_AI_TOOL_NAME],
  ['x-to11-context-tool-call-id', ATTR_GEN_AI_TOOL_CALL_ID],
  ['x-to11-context-agent-name', ATTR_GEN_AI_AGENT_NAME],
  ['x-to11-context-agent-id', ATTR_GEN_AI_AGENT_ID],
  ['x-to11-context-data-source-id', ATTR_GEN_AI_DATA_SOURCE_ID],
];

/** The declared operation and its detail attributes; null without a valid header. */
export function contextOperation(
  read: HeaderReader,
): { operation: ContextOperation; attributes: Attributes } | null {
  const value = read('x-to11-context-operation')?.trim().toLowerCase();
  const operation = CONTEXT_OPERATIONS.find((candidate) => candidate === value);
  if (!operation) return null;
  const attributes: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: operation };
  for (const [header, key] of DETAIL_HEADERS) {
    const detail = first(read, header);
    if (detail !== undefined) attributes[key] = detail;
  }
  return { operation, attributes };
}
