/**
 * A Postgres database of its own for one test file, on the server of `DATABASE_URL`: other
 * suites use the same server at the same time (TEAM-BRIEF).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** A created database and how to drop it. */
export interface ThrowawayDatabase {
  /** `serverUrl` with the database replaced by the new one. */
  url: string;
  /** Drops the database `WITH (FORCE)` (connections still open are terminated). */
  drop(): Promise<void>;
}

/** Creates `to11_e2e_<random>` on the server of `serverUrl`. */
export async function createThrowawayDatabase(serverUrl: string): Promise<ThrowawayDatabase> {
  const name = `to11_e2e_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end();
      }
    },
  };
}
