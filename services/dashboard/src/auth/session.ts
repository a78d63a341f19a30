/**
 * The bearer token lives in sessionStorage: it survives a reload of this tab and dies with it,
 * and is never in a cookie the browser would send on its own (so no CSRF surface on /v1).
 */
const TOKEN_KEY = 'callvault.token';
const RETURN_KEY = 'callvault.returnTo';
const COMPANY_KEY = 'callvault.companyId';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  setToken(token: string) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(COMPANY_KEY);
  },
  /** Where to go back to after signing in; only paths inside the app (no open redirect). */
  rememberReturn(path: string) {
    if (isAppPath(path)) sessionStorage.setItem(RETURN_KEY, path);
  },
  takeReturn(): string {
    const path = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    return path && isAppPath(path) ? path : '/app/recordings';
  },
  /** The superadmin's chosen company (the company switcher). */
  companyId: (): string | null => sessionStorage.getItem(COMPANY_KEY),
  setCompanyId(id: string | null) {
    if (id) sessionStorage.setItem(COMPANY_KEY, id);
    else sessionStorage.removeItem(COMPANY_KEY);
  },
};

export function isAppPath(path: string): boolean {
  return /^\/app(\/[A-Za-z0-9/_\-.%?=&]*)?$/.test(path) && !path.startsWith('/app/sign-in') && !path.startsWith('/app/callback');
}

/** A token carried in the URL fragment (`/app#token=...`, printed by `pnpm demo`): taken, then wiped from the address bar. */
export function takeTokenFromFragment(location: Location, history: History): string | null {
  const match = /^#token=([A-Za-z0-9_\-.]{10,4096})$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return match[1]!;
}
