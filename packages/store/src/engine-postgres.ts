/** The server engine: Postgres through postgres.js. */
import { connect, type Socket } from 'node:net';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database } from './database.ts';
import { messageOf, redactDatabaseUrl, StoreUnavailableError } from './errors.ts';
import { schemaIsCurrent } from './migrations.ts';
import * as schema from './schema/index.ts';
import { copySpanRows } from './span-copy.ts';

const CONNECT_TIMEOUT_MS = 10_000;
/** Advisory lock key so processes starting together do not migrate at the same time. */
const MIGRATION_LOCK = 7_011_001;

interface SocketOptions {
  host: string[];
  port: number[];
  /** A unix socket path, or `false` (postgres.js) when connecting over TCP. */
  path?: string | false;
}

/**
 * Opens sockets with Nagle off: with it on, each COPY can stall ~40 ms on a delayed ACK
 * (STACK.md). The socket is returned before it connects: postgres.js writes the startup message
 * into it (buffered until connected) and handles its `error`/`close` events itself, which is what
 * lets it reconnect after an outage. A factory that awaited `connect` left postgres.js stuck
 * once the database came back, because a rejected factory leaves it without a socket to retry.
 * Its own `connect_timeout` bounds the connect.
 */
function noDelaySocket(options: SocketOptions): Socket {
  const socket =
    typeof options.path === 'string' && options.path !== ''
      ? connect({ path: options.path })
      : connect({ host: options.host[0] ?? '127.0.0.1', port: options.port[0] ?? 5432 });
  socket.setNoDelay(true);
  return socket;
}

/** Where to connect instead of the URL's host: a unix socket file (the embedded server). */
export interface PostgresSocket {
  path: string;
}

function client(databaseUrl: string, max: number, socket?: PostgresSocket): postgres.Sql {
  const options = {
    ...socket,
    max,
    onnotice: () => {},
    connect_timeout: CONNECT_TIMEOUT_MS / 1000,
    connection: { application_name: 'to11' },
    socket: noDelaySocket,
  };
  return postgres(databaseUrl, options);
}

async function migrateLocked(
  databaseUrl: string,
  migrationsFolder: string,
  socket?: PostgresSocket,
): Promise<void> {
  const sql = client(databaseUrl, 1, socket);
  try {
    try {
      await sql`select 1`;
    } catch (error) {
      throw new StoreUnavailableError(
        `cannot reach the store at ${redactDatabaseUrl(databaseUrl)}: ${messageOf(error)}`,
      );
    }
    if (await schemaIsCurrent((text) => sql.unsafe(text), migrationsFolder)) return;
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle({ client: sql, casing: 'snake_case' }), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Opens Postgres at `databaseUrl` (over `socket` when given), migrates under an advisory lock,
 * and returns the engine.
 */
export async function openPostgres(
  databaseUrl: string,
  migrationsFolder: string,
  poolSize: number,
  socket?: PostgresSocket,
): Promise<Database> {
  await migrateLocked(databaseUrl, migrationsFolder, socket);
  const queries = client(databaseUrl, poolSize, socket);
  // Raw SQL and COPY get their own client: drizzle rewires the json serializers of its client.
  const raw = client(databaseUrl, poolSize, socket);
  return {
    engine: 'postgres',
    db: drizzle({ client: queries, schema, casing: 'snake_case' }),
    raw: {
      async query<T extends object>(text: string, params: unknown[] = []) {
        return (await raw.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as T[];
      },
      async transaction(fn) {
        const result = await raw.begin((tx) =>
          fn({
            async query<T extends object>(text: string, params: unknown[] = []) {
              return (await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as T[];
            },
          }),
        );
        return result as Awaited<ReturnType<typeof fn>>;
      },
    },
    insertSpanRows: (rows) => copySpanRows(raw, rows),
    async close() {
      await Promise.all([queries.end({ timeout: 5 }), raw.end({ timeout: 5 })]);
    },
  };
}
