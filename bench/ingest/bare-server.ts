/**
 * The baseline for bench/ingest: a Fastify route that does only what every webhook server must
 * do — read the form body as text (the same parser ingest registers) and parse its fields (the
 * same way ingest's parseForm does) — then answers 204. No signature, database or queue.
 * Started by run.ts as its own process: `PORT=... node --import tsx bench/ingest/bare-server.ts`.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));

app.get('/readyz', async () => ({ status: 'ready' }));
app.post('/webhooks/twilio/:kind', { bodyLimit: 64 * 1024 }, async (request, reply) => {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(request.body as string)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  if (typeof params.CallSid !== 'string') return reply.code(400).send();
  return reply.code(204).send();
});

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
