import type { Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { ResolutionDeps } from './event-resolution';
import type { ProviderDirectory } from './provider-directory';

/** What replay, the tenant lookup and reconciliation need, wherever they run. */
export interface EventsDeps {
  db: Db;
  log: Logger;
  directory: ProviderDirectory;
  resolution: ResolutionDeps;
  /** Twilio's REST base (the simulator locally): the tenant lookup and the sync call it with the account's own credentials. */
  twilioApiBaseUrl: string;
}
