import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { TokenError } from '@callvault/auth';
import { signer } from '@callvault/crypto';
import { findPrincipalBySubject, withPlatform } from '@callvault/db';
import { QUEUE_NAMES } from '@callvault/queue';
import { registerQueueMetrics, sendProblem } from '@callvault/service-kit';
import { GATEWAY_ERRORS } from './errors';
import { authenticate } from './authenticate';
import type { GatewayDeps } from './gateway-deps';

export const BULL_BOARD_PATH = '/admin/queues';
export const ADMIN_SIGN_IN_PATH = '/admin/sign-in';
export const ADMIN_SESSION_PATH = '/admin/session';
export const ADMIN_SIGN_OUT_PATH = '/admin/sign-out';
export const ADMIN_SESSION_COOKIE = 'callvault_admin';
/** A session never outlives the token it was opened with, nor this. */
export const ADMIN_SESSION_MAX_SECONDS = 3600;

export interface AdminSession {
  subject: string;
  /** Unix seconds. */
  expiresAt: number;
}

/**
 * The Bull Board session cookie: `v1.<payload>.<mac>`, an HMAC-SHA256 over the subject and expiry
 * with a key derived from TAG_SIGNING_KEY for this purpose only (signer('admin-session'): a tag or
 * cursor MAC can never pass as a session, nor the reverse). It carries no role: every request
 * re-reads the user.
 */
export function createAdminSessionCodec(tagSigningKey: string) {
  const sessions = signer(tagSigningKey, 'admin-session');
  return {
    encode(session: AdminSession): string {
      const payload = Buffer.from(JSON.stringify({ sub: session.subject, exp: session.expiresAt })).toString('base64url');
      return `v1.${payload}.${sessions.sign(`v1.${payload}`)}`;
    },
    decode(value: string, nowSeconds = Math.floor(Date.now() / 1000)): AdminSession | null {
      const [version, payload, signature, extra] = value.split('.');
      if (version !== 'v1' || !payload || !signature || extra !== undefined) return null;
      if (!sessions.verify(`v1.${payload}`, signature)) return null;
      try {
        const { sub, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
        if (typeof sub !== 'string' || sub.length === 0 || typeof exp !== 'number' || exp <= nowSeconds) return null;
        return { subject: sub, expiresAt: exp };
      } catch {
        return null;
      }
    },
  };
}

type Access = { ok: true; subject: string } | { ok: false; status: 401 | 403; message: string };

/**
 * Bull Board at /admin/queues for superadmins, with a cookie sign-in because a browser cannot
 * send a Bearer header when it navigates: POST /admin/session with the JWT (the sign-in form, a
 * JSON body or a Bearer header) sets an HttpOnly, SameSite=Strict session cookie for /admin and
 * redirects to the board. Every board request (page, assets, API) checks the cookie or a Bearer
 * token and re-reads the user: a demoted or disabled superadmin loses access at once.
 * The gateway is also where the queue depth gauges of every queue are reported.
 */
export async function registerBullBoard(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  if (!deps.config.TAG_SIGNING_KEY) throw new Error('Bull Board needs TAG_SIGNING_KEY');
  const sessions = createAdminSessionCodec(deps.config.TAG_SIGNING_KEY);
  const queueFor = (name: (typeof QUEUE_NAMES)[number]) => deps.producer.queue(name);
  registerQueueMetrics(deps.registry, { queues: QUEUE_NAMES, queueFor });

  const superadminStatus = async (subject: string): Promise<Access> => {
    const record = await withPlatform(deps.db, (tx) => findPrincipalBySubject(tx, subject));
    if (!record) return { ok: false, status: 403, message: 'this user is not registered' };
    if (record.kind !== 'superadmin') return { ok: false, status: 403, message: 'the queue board needs the superadmin role' };
    if (record.disabled) return { ok: false, status: 403, message: 'this user is disabled' };
    return { ok: true, subject };
  };

  const accessOf = async (request: FastifyRequest): Promise<Access> => {
    if (request.headers.authorization !== undefined) {
      try {
        const principal = await authenticate(deps, request);
        return principal.kind === 'superadmin'
          ? { ok: true, subject: principal.subject }
          : { ok: false, status: 403, message: 'the queue board needs the superadmin role' };
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 401 || status === 403) return { ok: false, status, message: (error as Error).message };
        throw error;
      }
    }
    const cookie = readCookie(request, ADMIN_SESSION_COOKIE);
    if (!cookie) return { ok: false, status: 401, message: 'sign in first' };
    const session = sessions.decode(cookie);
    if (!session) return { ok: false, status: 401, message: 'the session is invalid or expired: sign in again' };
    return superadminStatus(session.subject);
  };

  await app.register(async (admin) => {
    admin.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
    });
    admin.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    admin.get(ADMIN_SIGN_IN_PATH, { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(signInPage()));

    admin.post(ADMIN_SESSION_PATH, { schema: { hide: true } }, async (request, reply) => {
      const header = request.headers.authorization;
      const fromBody = (request.body as { token?: unknown } | undefined)?.token;
      const token = typeof fromBody === 'string' ? fromBody.trim() : typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
      let subject: string;
      let tokenExpiresAt: number;
      try {
        const verified = await deps.verifyToken(token);
        subject = verified.subject;
        tokenExpiresAt = typeof verified.claims.exp === 'number' ? verified.claims.exp : 0;
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        return refuse(request, reply, { ok: false, status: 401, message: `sign-in failed: ${error.message}` });
      }
      const access = await superadminStatus(subject);
      if (!access.ok) return refuse(request, reply, access);
      const expiresAt = Math.min(tokenExpiresAt, Math.floor(Date.now() / 1000) + ADMIN_SESSION_MAX_SECONDS);
      if (expiresAt <= Math.floor(Date.now() / 1000)) return refuse(request, reply, { ok: false, status: 401, message: 'sign-in failed: token expired' });
      request.log.info({ subject, expiresAt: new Date(expiresAt * 1000).toISOString() }, 'queue board session opened');
      reply.header('set-cookie', sessionCookie(sessions.encode({ subject, expiresAt }), expiresAt - Math.floor(Date.now() / 1000), isHttps(request, deps)));
      return reply.code(303).header('location', BULL_BOARD_PATH).send();
    });

    admin.route({
      method: ['GET', 'POST'],
      url: ADMIN_SIGN_OUT_PATH,
      schema: { hide: true },
      handler: async (request, reply) =>
        reply
          .header('set-cookie', sessionCookie('', 0, isHttps(request, deps)))
          .code(303)
          .header('location', ADMIN_SIGN_IN_PATH)
          .send(),
    });

    await admin.register(async (board) => {
      board.addHook('onRequest', async (request, reply) => {
        const access = await accessOf(request);
        if (access.ok) return;
        // A cookie that no longer opens anything is dropped, so the browser stops sending it.
        if (access.status === 401 && readCookie(request, ADMIN_SESSION_COOKIE)) reply.header('set-cookie', sessionCookie('', 0, isHttps(request, deps)));
        return refuse(request, reply, access);
      });
      const serverAdapter = new FastifyAdapter();
      serverAdapter.setBasePath(BULL_BOARD_PATH);
      createBullBoard({
        queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queueFor(name), { allowRetries: true, description: `${deps.config.QUEUE_PREFIX}:${name}` })),
        serverAdapter,
        options: { uiConfig: { boardTitle: 'callvault queues', hideDocsLink: true, miscLinks: [{ text: 'Sign out', url: ADMIN_SIGN_OUT_PATH }] } },
      });
      await board.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
    });
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, access: Extract<Access, { ok: false }>): FastifyReply {
  // Browsers (navigation or the sign-in form) get a page; API calls and scripts get the JSON error shape.
  if (/text\/html/.test(request.headers.accept ?? ''))
    return reply
      .code(access.status)
      .type('text/html; charset=utf-8')
      .send(access.status === 401 ? signInPage(access.message) : forbiddenPage(access.message));
  return sendProblem(reply, GATEWAY_ERRORS, access.status === 401 ? 'unauthorized' : 'forbidden', access.message);
}

function isHttps(request: FastifyRequest, deps: GatewayDeps): boolean {
  return request.protocol === 'https' || deps.config.GATEWAY_PUBLIC_URL.startsWith('https:');
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${ADMIN_SESSION_COOKIE}=${value}`,
    'Path=/admin',
    `Max-Age=${Math.max(0, maxAgeSeconds)}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim() || undefined;
  }
  return undefined;
}

const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}input{width:100%;font-family:monospace;padding:.4rem}button{margin-top:.8rem;padding:.4rem 1.2rem}p.note{color:#a00}';

/** Messages on these pages are our own constant strings, never request input; escaped anyway. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(message?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>callvault queues: sign in</title><style>${PAGE_STYLE}</style></head><body>
<h1>callvault queues</h1>
${message ? `<p class="note" id="message">${escapeHtml(message)}</p>` : ''}
<p>Paste a superadmin token (for a local run: <code>pnpm cli token --subject &lt;sub&gt; --ttl 1h</code>). The session lasts at most one hour and never longer than the token.</p>
<form method="post" action="${ADMIN_SESSION_PATH}"><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="off" required><button type="submit">Sign in</button></form>
</body></html>`;
}

function forbiddenPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>callvault queues: forbidden</title><style>${PAGE_STYLE}</style></head><body>
<h1>Forbidden</h1><p class="note" id="message">${escapeHtml(message)}</p><p><a href="${ADMIN_SIGN_OUT_PATH}">Sign in as someone else</a></p>
</body></html>`;
}
