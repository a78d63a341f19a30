/** /app/config.json, served by the gateway: how this deployment signs people in. */
export interface DashboardConfig {
  oidc: { issuer: string; clientId: string; scopes: string; audience: string | null } | null;
  devSignIn: boolean;
  bullBoardPath: string;
}

export async function loadAppConfig(): Promise<DashboardConfig> {
  const response = await fetch('/app/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the gateway answered ${response.status} for its dashboard configuration`);
  const body = (await response.json()) as Partial<DashboardConfig>;
  return {
    oidc: body.oidc ?? null,
    devSignIn: body.devSignIn === true,
    bullBoardPath: typeof body.bullBoardPath === 'string' ? body.bullBoardPath : '/admin/queues',
  };
}

let loaded: DashboardConfig | null = null;

/** Read once at start (main.tsx), before anything renders. */
export function setAppConfig(config: DashboardConfig) {
  loaded = config;
}

export function appConfig(): DashboardConfig {
  if (!loaded) throw new Error('the dashboard configuration is not loaded yet');
  return loaded;
}
