import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../../gateway-deps';
import { registerApiKeyRoutes } from './api-keys';
import { registerWebhookEndpointRoutes } from './webhook-endpoints';
import { registerAuditEventRoutes } from './audit-events';
import { registerCompanyRoutes } from './companies';
import { registerCompanyExportRoute } from './company-export';
import { registerCompanyOffboardingRoutes } from './company-offboarding';
import { registerPhoneNumberSyncRoute } from './phone-number-sync';
import { registerPhoneNumberRoutes } from './phone-numbers';
import { registerRedactionPatternRoutes } from './redaction-patterns';
import { secretBoxSource } from './secret-box-source';
import { registerIntelligenceSettingsRoutes } from './intelligence-settings';
import { registerSpeechToTextSettingsRoutes } from './speech-to-text-settings';
import { registerTwilioSettingsRoutes } from './twilio-settings';
import { registerUserRoutes } from './users';
import { registerVapiSettingsRoutes } from './vapi-settings';
import { registerWebhookEventRoutes } from './webhook-events';

/** The contract's Administration table: tenants, users, provider settings, numbers, audit and event store. */
export function registerAdminRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const secretBox = secretBoxSource(deps);
  registerCompanyRoutes(app, deps);
  registerCompanyExportRoute(app, deps);
  registerCompanyOffboardingRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerTwilioSettingsRoutes(app, deps, secretBox);
  registerVapiSettingsRoutes(app, deps, secretBox);
  registerIntelligenceSettingsRoutes(app, deps, secretBox);
  registerRedactionPatternRoutes(app, deps);
  registerSpeechToTextSettingsRoutes(app, deps);
  registerPhoneNumberRoutes(app, deps, secretBox);
  registerPhoneNumberSyncRoute(app, deps, secretBox);
  registerAuditEventRoutes(app, deps);
  registerWebhookEventRoutes(app, deps);
  registerApiKeyRoutes(app, deps);
  registerWebhookEndpointRoutes(app, deps, secretBox);
}
