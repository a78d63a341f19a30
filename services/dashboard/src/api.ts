import { createGatewayClient } from '@callvault/api-client';
import { session } from './auth/session';

/** An API answer that was not a success, with the gateway's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 401 anywhere: the token is gone or expired; sign in again and come back here. */
function signInAgain() {
  session.clear();
  session.rememberReturn(location.pathname + location.search);
  if (!location.pathname.startsWith('/app/sign-in')) location.assign('/app/sign-in');
}

export const api = createGatewayClient({ baseUrl: location.origin, token: session.token, onUnauthorized: signInAgain });

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful answer, or an ApiError carrying the gateway's status and code. */
export async function unwrap<T>(request: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { code?: unknown; message?: unknown };
  throw new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : 'error',
    typeof body.message === 'string' ? body.message : response.statusText,
  );
}

/** Scope of a superadmin's reads: the company chosen in the switcher. */
export const companyScope = (): { companyId?: string } => {
  const id = session.companyId();
  return id ? { companyId: id } : {};
};
