import { apiErrorFrom, createGatewayClient } from '@callvault/api-client';
import { session } from './auth/session';

export { ApiError } from '@callvault/api-client';

/** A 401 anywhere: the token is gone or expired; sign in again and come back here. */
function signInAgain() {
  session.clear();
  session.rememberReturn(location.pathname + location.search);
  if (!location.pathname.startsWith('/app/sign-in')) location.assign('/app/sign-in');
}

export const api = createGatewayClient({ baseUrl: location.origin, token: session.token, onUnauthorized: signInAgain });

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful answer, or an ApiError carrying the gateway's problem (status, code, detail, request id). */
export async function unwrap<T>(request: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (response.ok) return data as T;
  throw apiErrorFrom(response, error);
}

/** Scope of a superadmin's reads: the company chosen in the switcher. */
export const companyScope = (): { companyId?: string } => {
  const id = session.companyId();
  return id ? { companyId: id } : {};
};
