/**
 * Diagnostic (issue 16): does a client that reuses a keep-alive connection just as the gateway
 * closes it for idleness meet a reset? Raw sockets, one request each, then the second request on
 * the same connection after idle = keepAliveTimeout + 1 s (node's server buffer) + offset.
 * BENCH_LAG_MS: the client's event loop is busy that long before it writes (an FIN that already
 * arrived is not yet seen, as in a loaded load generator).
 */
import { connect, type Socket } from 'node:net';
import { startChild } from './gateway-bench-load.ts';
import { GATEWAY_DIST, startGatewayProcess, throwawayDatabase } from './gateway-bench-process.ts';

const N = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SPREAD = Number(process.env.BENCH_SPREAD_MS ?? 200);
const LAG = Number(process.env.BENCH_LAG_MS ?? 0);
const KEEP = Number(process.env.BENCH_KEEP_ALIVE_MS ?? 5000);
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  const database = serverUrl ? await throwawayDatabase(serverUrl) : undefined;
  const upstream = await startChild('upstream', {});
  const gateway = await startGatewayProcess({
    entry: process.env.BENCH_GATEWAY_ENTRY ?? GATEWAY_DIST,
    upstream: `http://127.0.0.1:${upstream.port}`,
    databaseUrl: database?.url,
    workers: 1,
    nodeArgs: [],
    env: { TO11_LOG_LEVEL: 'warn', TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP) },
  });
  const head = (n: number) =>
    `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nauthorization: Bearer sk-x\r\nx-to11-authorization: Bearer ${gateway.apiKey}\r\nx-n: ${n}\r\n\r\n${body}`;
  const outcomes = new Map<string, number>();
  const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  const byOffset: string[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: N },
        (_, i) =>
          new Promise<void>((resolve) => {
            const offset = -SPREAD / 2 + (SPREAD * i) / N;
            const s: Socket = connect(gateway.port, '127.0.0.1');
            let buf = '';
            let phase = 1;
            let ended = false;
            let wrote2 = false;
            const finish = (k: string) => {
              if (phase === 3) return;
              phase = 3;
              count(k);
              byOffset.push(`${offset.toFixed(1)} ${k}`);
              s.destroy();
              resolve();
            };
            s.on('end', () => {
              ended = true;
              if (phase === 2 && !wrote2)
                finish('closed-before-reuse (client sees FIN first: agent drops it)');
              else if (phase === 2) finish('FIN after reuse, no answer (socket hang up)');
            });
            s.on('error', (e: NodeJS.ErrnoException) => finish(`error ${e.code}`));
            s.on('data', (d) => {
              buf += d.toString();
              const end = buf.indexOf('\r\n\r\n');
              const length = Number(/content-length: (\d+)/i.exec(buf)?.[1] ?? -1);
              const whole = end >= 0 && length >= 0 && Buffer.byteLength(buf) - end - 4 >= length;
              if (phase === 1 && whole) {
                phase = 2;
                buf = '';
                setTimeout(
                  () => {
                    if (ended)
                      return finish('closed-before-reuse (client sees FIN first: agent drops it)');
                    if (LAG > 0) {
                      const until = Date.now() + LAG;
                      while (Date.now() < until);
                    }
                    wrote2 = true;
                    s.write(head(2));
                  },
                  KEEP + 1000 + offset,
                );
              } else if (phase === 2 && buf.includes('\r\n\r\n')) {
                finish(`answer ${buf.slice(0, 3)}`);
              }
            });
            s.write(head(1));
          }),
      ),
    );
    console.log(`gateway port ${gateway.port}`);
    console.log(
      `N=${N} spread=${SPREAD} ms around keepAlive+1000=${KEEP + 1000} ms, lag ${LAG} ms`,
    );
    for (const [k, v] of outcomes) console.log(`  ${k}: ${v}`);
    if (process.env.BENCH_ERROR_DETAIL)
      console.log(byOffset.sort((a, b) => parseFloat(a) - parseFloat(b)).join('\n'));
  } finally {
    await gateway.stop();
    await upstream.stop();
    await database?.drop();
  }
}
await main();
