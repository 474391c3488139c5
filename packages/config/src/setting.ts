/**
 * Documentation attached to a schema: what the generated configuration table shows for an
 * environment variable or a to11.toml key. Kept in zod's metadata, next to the validation.
 */
import type { z } from 'zod';

/** What a setting is for and what it is when unset. */
export interface SettingDoc {
  description: string;
  /** The default as it should be printed (`127.0.0.1`, `30000`); absent means "unset". */
  default?: string;
}

/** `schema` with its documentation attached (read back by {@link settingDoc}). */
export function setting<S extends z.ZodType>(schema: S, doc: SettingDoc): S {
  return schema.meta({ description: doc.description, to11Default: doc.default });
}

/** The documentation attached with {@link setting}, looking through optional/default wrappers. */
export function settingDoc(schema: z.ZodType): SettingDoc | undefined {
  for (let current: z.ZodType | undefined = schema; current !== undefined; ) {
    const meta = current.meta();
    if (meta?.description !== undefined) {
      const fallback = meta.to11Default;
      return typeof fallback === 'string'
        ? { description: meta.description, default: fallback }
        : { description: meta.description };
    }
    current = innerOf(current);
  }
  return undefined;
}

/** The schema an optional, default or nullable wrapper wraps; undefined for anything else. */
export function innerOf(schema: z.ZodType): z.ZodType | undefined {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType };
  return ['optional', 'default', 'nullable', 'prefault'].includes(def.type)
    ? def.innerType
    : undefined;
}
