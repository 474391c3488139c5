/**
 * A tiny TCP proxy in front of Postgres, to take the database away from a running store and
 * give it back, like a database server that stops and starts again: `pause()` cuts every
 * connection and stops listening (new connections are refused); `resume()` listens again on the
 * same port.
 */
import net from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  port: number;
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function stop(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  return closed;
}

/** Starts a proxy on 127.0.0.1 (port 0) to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const proxyPort = await listen(server, 0);
  let listening = true;
  return {
    port: proxyPort,
    async pause() {
      if (!listening) return;
      listening = false;
      await stop(server, sockets);
    },
    async resume() {
      if (listening) return;
      await listen(server, proxyPort);
      listening = true;
    },
    async close() {
      if (!listening) return;
      listening = false;
      await stop(server, sockets);
    },
  };
}
