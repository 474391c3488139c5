/**
 * Preloaded into a profiled process (`node --import <this file>`) by gateway-profile.ts with
 * BENCH_ALLOC=1: the first SIGUSR2 starts V8's sampling heap profiler (counting objects the
 * garbage collector has already freed too, so the figures are bytes allocated, not retained), the
 * second stops it and writes the profile to BENCH_HEAP_PROFILE_FILE. Plain JavaScript: the
 * gateway runs as a built bundle, without tsx.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.BENCH_HEAP_PROFILE_FILE;
const interval = Number(process.env.BENCH_HEAP_INTERVAL ?? 8192);
const session = new Session();
session.connect();
let sampling = false;

process.on('SIGUSR2', () => {
  if (!sampling) {
    sampling = true;
    session.post('HeapProfiler.startSampling', {
      samplingInterval: interval,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  sampling = false;
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) throw error;
    if (file) writeFileSync(file, JSON.stringify(result.profile));
  });
});
