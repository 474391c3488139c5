/**
 * Semantic-cache lookup benchmark (issue 17, "measure and choose" the store): CPU and wall time
 * of one lookup (`find`: cosine similarity against every vector of the partition, then the best
 * answer read) in the in-memory store and in the Redis store, for partitions of 100 and 1,000
 * entries of 1,536-dimension vectors (OpenAI text-embedding-3-small), beside the exact cache's
 * in-memory `get` of the same answer in the same run as the baseline. Lookups run one after
 * another; median of the rounds. Needs Redis on 127.0.0.1:6379 (or `REDIS_URL`); keys use a
 * fresh prefix and are deleted at the end. pgvector is not installed on this machine, so it is
 * not measured.
 *
 *   pnpm exec tsx semantic-cache.ts [lookups=300] [rounds=5]
 */
import { randomBytes } from 'node:crypto';
import { closeRedis, openRedis, redisReady } from '@to11/store/redis';
import { pino } from 'pino';
import { MemoryCache } from '../apps/gateway/src/cache/backends.ts';
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

const redis = openRedis(REDIS_URL, pino({ level: 'silent' }));
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
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < LOOKUPS; i += 1) await lookup();
    const used = process.cpuUsage(startCpu);
    if (round === 0) continue; // warm-up
    cpu.push((used.user + used.system) / LOOKUPS);
    wall.push(Number(process.hrtime.bigint() - start) / 1_000 / LOOKUPS);
  }
  return { cpuUs: median(cpu), wallUs: median(wall) };
}

const exact = new MemoryCache(10_000, 64 * 1024 * 1024);
await exact.set('key', ANSWER, 600_000);
const rows: { name: string; cpuUs: number; wallUs: number }[] = [
  { name: 'baseline: exact cache, memory get', ...(await measure(() => exact.get('key'))) },
];
for (const entries of [100, 1_000]) {
  const stores: SemanticStore[] = [
    new MemorySemanticStore(entries, 1024 * 1024 * 1024),
    new RedisSemanticStore(redis, prefix, entries),
  ];
  const partition = `p${entries}`;
  const query = randomVector();
  for (const store of stores) {
    for (let i = 0; i < entries - 1; i += 1)
      await store.add(partition, randomVector(), ANSWER, 600_000);
    await store.add(partition, query, ANSWER, 600_000); // one hit per lookup
    const found = await store.find(partition, query, 0.99);
    if (!found) throw new Error(`${store.name}: the stored vector was not found`);
    rows.push({
      name: `semantic ${store.name}, ${entries} entries`,
      ...(await measure(() => store.find(partition, query, 0.99))),
    });
  }
}
console.log(
  `semantic-cache: ${LOOKUPS} lookups per case, ${ROUNDS} rounds (median), ${DIMENSIONS} dims`,
);
const baseline = rows[0] as { cpuUs: number };
for (const { name, cpuUs, wallUs } of rows) {
  console.log(
    `  ${name.padEnd(36)} cpu ${cpuUs.toFixed(1).padStart(8)} µs/lookup  (${(cpuUs / baseline.cpuUs).toFixed(0)}x)  wall ${wallUs.toFixed(1).padStart(8)} µs/lookup`,
  );
}
const keys = await redis.keys(`${prefix}*`);
if (keys.length > 0) await redis.del(...keys);
await closeRedis(redis);
