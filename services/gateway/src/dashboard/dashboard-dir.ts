import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The dashboard's build output (services/dashboard/dist), found from wherever this module runs:
 * the sources under tsx or the gateway's bundle in services/gateway/dist. Undefined outside a
 * checkout; the gateway then answers /app with 503 and the command that builds it.
 */
export function defaultDashboardDir(from: string = import.meta.dirname): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'services', 'dashboard', 'package.json'))) return join(dir, 'services', 'dashboard', 'dist');
  }
  return undefined;
}
