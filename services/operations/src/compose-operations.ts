import type { Config } from '@callvault/config';
import { createSecretBox, type SecretBox } from '@callvault/crypto';
import type { Db } from '@callvault/db';
import { createProviderDirectory, type EventsDeps } from '@callvault/events';
import type { Logger } from '@callvault/logging';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryDeps } from '@callvault/outbound-events';
import type { MaintenanceDeps } from './maintenance.processor';

export type OperationsDeps = EventsDeps & MaintenanceDeps & DeliveryDeps & { box: SecretBox };

/** Wires the operations worker's parts; main.ts and the tests share it. */
export function composeOperations(input: { config: Config; db: Db; log: Logger; registry: Registry; jobsCommitted: () => void }): OperationsDeps {
  const { config, db, log } = input;
  if (!config.SECRETS_KEY || !config.TAG_SIGNING_KEY) throw new Error('the operations worker needs SECRETS_KEY and TAG_SIGNING_KEY');
  const box = createSecretBox(config.SECRETS_KEY);
  return {
    config,
    db,
    log,
    box,
    directory: createProviderDirectory(db, box),
    resolution: { tagSigningKey: config.TAG_SIGNING_KEY },
    twilioApiBaseUrl: config.TWILIO_API_BASE_URL,
    jobsCommitted: input.jobsCommitted,
    // Outbound webhooks: customer URLs, so the SSRF guards apply (loopback only outside production).
    policy: { allowLoopback: config.NODE_ENV !== 'production', privateHosts: config.WEBHOOK_PRIVATE_HOSTS, timeoutMs: 10_000, maxResponseBytes: 4_096 },
    lastSuccess: new Gauge({
      name: 'callvault_maintenance_last_success_timestamp_seconds',
      help: 'When each scheduled maintenance task last finished without error (Unix seconds): alert when it falls far behind its period.',
      labelNames: ['task'],
      registers: [input.registry],
    }),
    lifetimeItems: new Counter({
      name: 'callvault_lifetime_items_total',
      help: 'Provider payloads redacted (task=redact-payloads) and audit events removed (task=prune-audit-trail) because their lifetime ended.',
      labelNames: ['task'],
      registers: [input.registry],
    }),
  };
}
