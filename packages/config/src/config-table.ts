/**
 * The README's configuration reference, generated from the schemas: every environment variable
 * and every to11.toml key with its default and meaning (`pnpm --filter @to11/config gen:readme`).
 */
import type { z } from 'zod';
import { cliEnvSchema } from './cli-env.ts';
import { collectorEnvSchema } from './collector-env.ts';
import { gatewayEnvSchema } from './gateway-env.ts';
import { innerOf, type SettingDoc, settingDoc } from './setting.ts';
import { configFileSchema } from './toml-schema.ts';

/** The README markers the table is written between. */
export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

/** One row of the reference. */
export interface SettingRow extends SettingDoc {
  name: string;
  /** A to11.toml key its table cannot leave out. */
  required?: boolean;
}

function rowsOfShape(shape: Record<string, z.ZodType>, into: Map<string, SettingRow>): void {
  for (const [name, schema] of Object.entries(shape)) {
    const doc = settingDoc(schema);
    if (doc !== undefined && !into.has(name)) into.set(name, { name, ...doc });
  }
}

/** Every environment variable of the gateway, the collector and the CLI, once each. */
export function envRows(): SettingRow[] {
  const rows = new Map<string, SettingRow>();
  for (const schema of [gatewayEnvSchema, collectorEnvSchema, cliEnvSchema]) {
    rowsOfShape(schema.shape, rows);
  }
  return [...rows.values()];
}

/** Placeholder for the keys of a table of tables (`providers.<id>`, `routes.<name>`). */
function placeholder(section: string): string {
  return section === 'providers' ? '<id>' : '<name>';
}

function walk(schema: z.ZodType, path: string, into: SettingRow[]): void {
  const doc = settingDoc(schema);
  let current = schema;
  for (let inner = innerOf(current); inner !== undefined; inner = innerOf(current)) {
    current = inner;
  }
  const def = current._zod.def as {
    type: string;
    shape?: Record<string, z.ZodType>;
    valueType?: z.ZodType;
    element?: z.ZodType;
  };
  if (def.type === 'object' && def.shape !== undefined) {
    for (const [key, child] of Object.entries(def.shape)) {
      walk(child, path === '' ? key : `${path}.${key}`, into);
    }
  } else if (def.type === 'record' && def.valueType !== undefined && doc === undefined) {
    const last = path.split('.').at(-1) ?? '';
    walk(def.valueType, `${path}.${placeholder(last)}`, into);
  } else if (def.type === 'array' && doc === undefined && def.element !== undefined) {
    // An undocumented array of tables (`[[export.otlp]]`): its keys, as `export.otlp[].endpoint`.
    walk(def.element, `${path}[]`, into);
  } else if (doc !== undefined) {
    into.push({ name: path, ...doc, ...(innerOf(schema) === undefined ? { required: true } : {}) });
  }
}

/** Every documented to11.toml key, as a dotted path (`routes.<name>.retry.max_retries`). */
export function tomlRows(): SettingRow[] {
  const rows: SettingRow[] = [];
  walk(configFileSchema, '', rows);
  return rows;
}

function cell(row: SettingRow): string {
  const value = row.default;
  if (value === undefined) return row.required === true ? 'required' : 'unset';
  return /[\s`]/.test(value) ? value : `\`${value}\``;
}

function table(header: string, rows: SettingRow[]): string[] {
  return [
    `| ${header} | Default | Meaning |`,
    '|---|---|---|',
    ...rows.map((row) => `| \`${row.name}\` | ${cell(row)} | ${row.description} |`),
  ];
}

/** The markdown written between the markers, markers included. */
export function renderConfigTable(): string {
  return [
    TABLE_START,
    '<!-- Generated from packages/config/src by `pnpm --filter @to11/config gen:readme`. -->',
    '',
    '### Environment variables',
    '',
    ...table('Variable', envRows()),
    '',
    '### to11.toml keys',
    '',
    ...table('Key', tomlRows()),
    TABLE_END,
  ].join('\n');
}

/** `readme` with the text between the markers replaced by `table`. */
export function replaceConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(`README has no ${TABLE_START} … ${TABLE_END} section`);
  }
  return readme.slice(0, start) + table + readme.slice(end + TABLE_END.length);
}
