/**
 * Semantic-cache lookup benchmark (issue 17, "measure and choose" the store): CPU and wall time
 * of one lookup in each store, for partitions of 1,000 and 10,000 entries of 1,536-dimension
 * vectors (OpenAI text-embedding-3-small), beside the exact cache's in-memory `get` of the same
 * answer in the same run as the baseline:
 * - memory: cosine similarity against every vector of the partition in the gateway;
 * - redis: the partition's vectors read (`LRANGE`), compared in the gateway, one answer read;
 * - postgres (pgvector): the nearest row found by the database (HNSW), on embedded PGlite and,
 *   when `DATABASE_URL`'s server has the vector extension, on Postgres.
 * Lookups run one after another; median of the rounds; slow cases run fewer lookups (about 2 s
 * a round). Redis is read without the gateway's 250 ms command timeout, so a case past it is
 * still measured (the gateway would count it as an error and a miss). Needs Redis on
 * 127.0.0.1:6379 (or `REDIS_URL`); keys use a fresh prefix and are deleted at the end.
 *
 *   pnpm exec tsx semantic-cache.ts [lookups=300] [rounds=5]
 */
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '@to11/store';
import { closeRedis, redisReady } from '@to11/store/redis';
import { Redis } from 'ioredis';
import { MemoryCache } from '../apps/gateway/src/cache/backends.ts';
import { PgvectorSemanticStore } from '../apps/gateway/src/cache/pgvector-semantic-store.ts';
import {
  MemorySemanticStore,
  RedisSemanticStore,
  type SemanticStore,
  unitVector,
} from '../apps/gateway/src/cache/semantic-store.ts';

const LOOKUPS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIMENSIONS = 1_536;
const ANSWER = JSON.stringify({
  v: 1,
  at: 0,
  stream: false,
  contentType: 'application/json',
  body: 'x'.repeat(1_000),
});

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
if (!(await redisReady(redis, 5_000))) throw new Error(`Redis at ${REDIS_URL} is not reachable`);
const prefix = `to11-bench:semantic:${randomBytes(4).toString('hex')}:`;

function randomVector(): Float32Array {
  const values = Array.from({ length: DIMENSIONS }, () => Math.random() - 0.5);
  return unitVector(values) as Float32Array;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median CPU µs and wall µs per call of `lookup`. */
async function measure(lookup: () => Promise<unknown>): Promise<{ cpuUs: number; wallUs: number }> {
  const first = process.hrtime.bigint();
  await lookup();
  const oneUs = Number(process.hrtime.bigint() - first) / 1_000;
  const lookups = Math.max(3, Math.min(LOOKUPS, Math.floor(2_000_000 / Math.max(oneUs, 1))));
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < lookups; i += 1) await lookup();
    const used = process.cpuUsage(startCpu);
    if (round === 0) continue; // warm-up
    cpu.push((used.user + used.system) / lookups);
    wall.push(Number(process.hrtime.bigint() - start) / 1_000 / lookups);
  }
  return { cpuUs: median(cpu), wallUs: median(wall) };
}

/** The embedded store (pgvector loaded), and Postgres when its server has the extension. */
const databases: { label: string; store: Store }[] = [
  { label: 'PGlite', store: await openStore({ dataDir: ':memory:' }) },
];
if (process.env.DATABASE_URL) {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
  const enabled = await store.semanticVectors.enable();
  if (enabled.ok) databases.push({ label: 'Postgres', store });
  else {
    console.log(`Postgres: not measured (${enabled.reason})`);
    await store.close();
  }
}
for (const { store } of databases) {
  const enabled = await store.semanticVectors.enable();
  if (!enabled.ok) throw new Error(`pgvector: ${enabled.reason}`);
}

const exact = new MemoryCache(10_000, 64 * 1024 * 1024);
await exact.set('key', ANSWER, 600_000);
const rows: { name: string; cpuUs: number; wallUs: number; loadMs?: number }[] = [
  { name: 'baseline: exact cache, memory get', ...(await measure(() => exact.get('key'))) },
];
for (const entries of [1_000, 10_000]) {
  const stores: { label: string; store: SemanticStore }[] = [
    { label: 'memory', store: new MemorySemanticStore(entries, 1024 * 1024 * 1024) },
    { label: 'redis', store: new RedisSemanticStore(redis, prefix, entries) },
    ...databases.map(({ label, store }) => ({
      label: `pgvector ${label}`,
      store: new PgvectorSemanticStore(store.semanticVectors, entries),
    })),
  ];
  const partition = `p${entries}-${randomBytes(4).toString('hex')}`;
  const query = randomVector();
  const vectors = Array.from({ length: entries - 1 }, randomVector);
  for (const { label, store } of stores) {
    const loadStart = Date.now();
    for (const vector of vectors) await store.add(partition, vector, ANSWER, 600_000, 'proj_bench');
    await store.add(partition, query, ANSWER, 600_000, 'proj_bench'); // one hit per lookup
    const found = await store.find(partition, query, 0.99);
    if (!found) throw new Error(`${label}: the stored vector was not found`);
    rows.push({
      name: `semantic ${label}, ${entries} entries`,
      ...(await measure(() => store.find(partition, query, 0.99))),
      loadMs: Date.now() - loadStart,
    });
  }
}
console.log(
  `semantic-cache: ${LOOKUPS} lookups per case, ${ROUNDS} rounds (median), ${DIMENSIONS} dims`,
);
const baseline = rows[0] as { cpuUs: number };
for (const { name, cpuUs, wallUs, loadMs } of rows) {
  const load = loadMs === undefined ? '' : `  (filled in ${(loadMs / 1000).toFixed(1)} s)`;
  console.log(
    `  ${name.padEnd(40)} cpu ${cpuUs.toFixed(1).padStart(9)} µs/lookup  (${(cpuUs / baseline.cpuUs).toFixed(0)}x)  wall ${wallUs.toFixed(1).padStart(9)} µs/lookup${load}`,
  );
}
const keys = await redis.keys(`${prefix}*`);
if (keys.length > 0) await redis.del(...keys);
await closeRedis(redis);
for (const { store } of databases) {
  await store.semanticVectors.clear();
  await store.close();
}
