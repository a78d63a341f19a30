import { createServer, type Server, type Socket } from 'node:net';
import { connectUpstream, freePort } from '@callvault/testing';

export interface TcpProxy {
  port: number;
  /** Refuses new connections and cuts every open one, like a server that went away. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** 127.0.0.1:<port> → target, which a drill can take down and bring back without touching the target. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connectUpstream(client, { host: targetHost, port: targetPort }, sockets);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = async () => {
    const closing = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closing;
    server = undefined;
  };
  await up();
  return { port, down, up, close: down };
}
