/**
 * What a convention table is: for each field of the normalised GenAI view, the reader that finds
 * it in that convention's attributes. One table per convention, one file per table.
 */
import type { Attributes } from '../span-model.ts';
import type { GenAiMessage } from './messages.ts';
import type { Reader } from './read.ts';

/** The conventions to11 reads, in the order their values are taken. */
export type ConventionName = 'gen_ai' | 'openinference' | 'vercel_ai' | 'openllmetry' | 'langfuse';

/** The scalar fields of the view. */
export interface GenAiFields {
  operation: string | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadInputTokens: number | null;
  cacheCreationInputTokens: number | null;
  cost: number | null;
  sessionId: string | null;
  userId: string | null;
}

/** One convention's table. */
export interface Convention {
  name: ConventionName;
  /** Whether a span speaks this convention (a look at one or two marker attributes). */
  marks(attributes: Attributes): boolean;
  fields: { [K in keyof GenAiFields]?: Reader<NonNullable<GenAiFields[K]>> };
  inputMessages?: (attributes: Attributes) => GenAiMessage[] | null;
  outputMessages?: (attributes: Attributes) => GenAiMessage[] | null;
}

/** Whether any of `names` is an attribute of the span. */
export function hasAny(attributes: Attributes, names: readonly string[]): boolean {
  for (const name of names) if (attributes[name] !== undefined) return true;
  return false;
}
