/**
 * The topologies every end-to-end scenario runs on. The Postgres one needs a server
 * (`DATABASE_URL`); without it the suite says so in its name and skips that topology only.
 */
import { rmSync } from 'node:fs';
import { createThrowawayDatabase } from './throwaway-database.ts';
import { freshDataDir, type RunningProduct, startAllInOne, startSeparate } from './topology.ts';

/** A way to run the product. */
export interface Topology {
  name: string;
  /** False when the environment cannot run it (no `DATABASE_URL`). */
  enabled: boolean;
  /** Starts the product against the provider at `providerBaseUrl`. */
  start(providerBaseUrl: string, env?: Record<string, string>): Promise<StartedTopology>;
}

/** A started topology and how to remove every trace of it (processes, data dir, database). */
export interface StartedTopology {
  product: RunningProduct;
  /** Starts the same topology again on the same store (after `product.stop()`). */
  restart(): Promise<RunningProduct>;
  dispose(): Promise<void>;
}

const serverUrl = process.env.DATABASE_URL;

/** The all-in-one on PGlite; the two processes on Postgres, with one gateway process or two. */
export const TOPOLOGIES: Topology[] = [
  {
    name: 'all-in-one (`pnpm start`) on a fresh embedded store',
    enabled: true,
    async start(providerBaseUrl, env) {
      const dataDir = freshDataDir();
      const launch = () => startAllInOne({ providerBaseUrl, dataDir, env });
      let product = await launch();
      return {
        product,
        restart: async () => {
          product = await launch();
          return product;
        },
        dispose: async () => {
          await product.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  postgresTopology('gateway and collector as separate processes on Postgres', {}),
  postgresTopology(
    'gateway with 2 worker processes (TO11_GATEWAY_WORKERS) and collector on Postgres',
    {
      TO11_GATEWAY_WORKERS: '2',
    },
  ),
];

/** The gateway and the collector as separate processes on a throwaway Postgres database. */
function postgresTopology(name: string, topologyEnv: Record<string, string>): Topology {
  return {
    name: serverUrl === undefined ? `${name} (skipped: DATABASE_URL is not set)` : name,
    enabled: serverUrl !== undefined,
    async start(providerBaseUrl, env) {
      if (serverUrl === undefined) throw new Error('DATABASE_URL is not set');
      const database = await createThrowawayDatabase(serverUrl);
      const launch = () =>
        startSeparate({
          providerBaseUrl,
          databaseUrl: database.url,
          env: { ...topologyEnv, ...env },
        });
      let product: RunningProduct;
      try {
        product = await launch();
      } catch (error) {
        await database.drop();
        throw error;
      }
      return {
        product,
        restart: async () => {
          product = await launch();
          return product;
        },
        dispose: async () => {
          await product.stop();
          await database.drop();
        },
      };
    },
  };
}
