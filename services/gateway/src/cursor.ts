import { createHash } from 'node:crypto';
import { signer } from '@callvault/crypto';
import { InvalidCursorError } from './errors';

export interface CursorPosition {
  value: string | number;
  id: string;
}

/**
 * Keyset cursors are opaque and tamper-evident: the position is signed together with a
 * fingerprint of the query and the caller's scope, so a cursor edited by hand, or replayed
 * against another filter, sort or company, is refused (400) instead of leaking a position.
 */
export function createCursorCodec(signingKey: string) {
  const cursors = signer(signingKey, 'cursor');
  const fingerprintOf = (query: unknown) => createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 22);
  return {
    encode(position: CursorPosition, query: unknown): string {
      const payload = Buffer.from(JSON.stringify({ v: position.value, i: position.id, f: fingerprintOf(query) })).toString('base64url');
      return `${payload}.${cursors.sign(payload)}`;
    },
    decode(cursor: string, query: unknown): CursorPosition {
      const [payload, signature, extra] = cursor.split('.');
      if (!payload || !signature || extra !== undefined) throw new InvalidCursorError();
      if (!cursors.verify(payload, signature)) throw new InvalidCursorError();
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { v: string | number; i: string; f: string };
      if (decoded.f !== fingerprintOf(query)) throw new InvalidCursorError();
      return { value: decoded.v, id: decoded.i };
    },
  };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
