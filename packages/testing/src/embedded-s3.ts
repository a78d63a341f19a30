import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';

export interface EmbeddedS3 {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * s3rver in a child process: an S3-protocol server for tests and the local start, so no test
 * talks to a fake of our own. It needs the legacy OpenSSL provider (its listing tokens use an
 * old cipher) and it does not verify signatures reliably, so no security check relies on it.
 */
export async function startEmbeddedS3(options: { directory: string; port?: number; buckets?: string[] }): Promise<EmbeddedS3> {
  mkdirSync(options.directory, { recursive: true });
  const port = options.port ?? (await freePort());
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const args = [
    '--openssl-legacy-provider',
    bin,
    '--directory',
    options.directory,
    '--address',
    '127.0.0.1',
    '--port',
    String(port),
    '--silent',
    '--allow-mismatched-signatures',
  ];
  for (const bucket of options.buckets ?? []) args.push('--configure-bucket', bucket);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`s3rver exited: ${stderr}`);
    try {
      await fetch(endpoint);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`s3rver did not start on ${endpoint}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
