import http from 'node:http';

export interface TimedResponse {
  status: number;
  body: string;
  ms: number;
}

/**
 * Sequential GETs over kept-alive connections (one per host), each timed from the request to its
 * last byte, as a client that reuses its connection sees it. `close` ends the connections.
 */
export function keepAliveGetter(): { get(url: string, token?: string): Promise<TimedResponse>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (url, token) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const request = http.get(url, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
          );
          response.on('error', reject);
        });
        request.setTimeout(30_000, () => request.destroy(new Error(`timeout ${url}`)));
        request.on('error', reject);
      }),
    close: () => agent.destroy(),
  };
}
