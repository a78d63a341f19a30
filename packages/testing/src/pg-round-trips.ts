import { createServer, type Socket } from 'node:net';
import { freePort } from './embedded-s3';
import { connectUpstream } from './proxied-connection';

export interface PgRoundTripCounter {
  port: number;
  /** Simple queries (`Q`) and extended-protocol syncs (`S`) sent: each waits for ReadyForQuery, i.e. one round trip. */
  counts(): { roundTrips: number; statements: number };
  reset(): void;
  /** Holds every answer from Postgres for `ms` (0: none), in order: a test can then tell which round trips a caller waits for. */
  delayReplies(ms: number): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of Postgres that reads the frontend protocol and counts round trips, so a
 * benchmark can say how many a request costs without touching the server's configuration.
 */
export async function startPgRoundTripCounter(targetPort = 5432): Promise<PgRoundTripCounter> {
  let roundTrips = 0;
  let statements = 0;
  let replyDelayMs = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connectUpstream(client, { host: '127.0.0.1', port: targetPort }, sockets);
    let buffered = Buffer.alloc(0);
    let startup = true;
    client.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let guard = 0; guard < 100_000; guard++) {
        if (startup) {
          if (buffered.length < 8) break;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) break;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          if (code !== 80877103) startup = false; // an SSLRequest is followed by the real startup message
          continue;
        }
        if (buffered.length < 5) break;
        const type = String.fromCharCode(buffered[0]!);
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) break;
        if (type === 'Q' || type === 'S') roundTrips++;
        if (type === 'Q' || type === 'P') statements++;
        buffered = buffered.subarray(length + 1);
      }
      upstream.write(chunk);
    });
    // Answers leave in the order they came, each when its delay is over: one changed delay (or
    // none) never lets a later answer overtake an earlier one still held.
    const held: Array<{ chunk: Buffer; dueAt: number }> = [];
    let timer: NodeJS.Timeout | undefined;
    const deliver = () => {
      timer = undefined;
      while (held.length > 0 && held[0]!.dueAt <= performance.now()) client.write(held.shift()!.chunk);
      if (held.length > 0) timer = setTimeout(deliver, Math.max(0, held[0]!.dueAt - performance.now()));
    };
    upstream.on('data', (chunk: Buffer) => {
      held.push({ chunk, dueAt: performance.now() + replyDelayMs });
      if (!timer) deliver();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port,
    counts: () => ({ roundTrips, statements }),
    reset() {
      roundTrips = 0;
      statements = 0;
    },
    delayReplies(ms) {
      replyDelayMs = ms;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
