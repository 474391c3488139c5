/**
 * The child processes of the gateway benchmark (`gateway-latency.ts`), one role each: the fake
 * OpenAI upstream or the bare node:http pipe proxy (the gateway runs from its build, see
 * `gateway-bench-process.ts`). Started by `startChild` with the role as argument; reports its
 * port over IPC, answers CPU-usage probes, exits on 'stop'.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a child process runs. */
export type Role = 'upstream' | 'bare';

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from the bench upstream.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
});

function streamBody(includeUsage: boolean): string {
  const base =
    '"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini"';
  const words = ['Hello', ' from', ' the', ' bench', ' upstream', ' in', ' eight', ' chunks.'];
  let out = `data: {${base},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`;
  for (const word of words) {
    out += `data: {${base},"choices":[{"index":0,"delta":{"content":"${word}"},"finish_reason":null}]}\n\n`;
  }
  out += `data: {${base},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`;
  if (includeUsage) {
    out += `data: {${base},"choices":[],"usage":{"prompt_tokens":20,"completion_tokens":8,"total_tokens":28}}\n\n`;
  }
  return `${out}data: [DONE]\n\n`;
}

async function startUpstream(): Promise<number> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        stream?: boolean;
        stream_options?: { include_usage?: boolean };
      };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(streamBody(body.stream_options?.include_usage === true));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(COMPLETION);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startBareProxy(upstream: string): Promise<number> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const upstreamRequest = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.destroy());
    req.pipe(upstreamRequest);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Child side: start the role, report its port, answer CPU-usage probes, exit on 'stop'. */
async function runChild(role: Role): Promise<void> {
  const upstream = process.env.BENCH_UPSTREAM ?? '';
  const ready = {
    port: role === 'upstream' ? await startUpstream() : await startBareProxy(upstream),
  };
  process.on('message', (message: string) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpuUs: usage.user + usage.system });
    } else if (message === 'stop') {
      // Exit normally (not a kill) so that --cpu-prof writes its profile.
      process.exit(0);
    }
  });
  process.send?.({ ready });
}

const role = process.argv[2] as Role | undefined;
if (role) await runChild(role);
