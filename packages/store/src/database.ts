/** What the store needs from an engine: drizzle for queries, raw SQL, and the span sink. */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';
import type { SpanTextRow } from './span-row.ts';
import type { StoreEngine } from './types.ts';

/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Plain SQL with `$n` parameters, on a client whose serializers drizzle did not touch. */
export interface RawSql {
  query<T extends object>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: Pick<RawSql, 'query'>) => Promise<T>): Promise<T>;
}

/** An opened database. */
export interface Database {
  readonly engine: StoreEngine;
  readonly db: Db;
  readonly raw: RawSql;
  /** Inserts encoded span rows in one transaction; rows already stored are skipped. */
  insertSpanRows(rows: SpanTextRow[]): Promise<void>;
  close(): Promise<void>;
}
