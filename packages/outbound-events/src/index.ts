export { recordOutboundEvent, redeliver } from './record-event';
export { endpointUrlProblem } from './endpoint-url';
export { guardedPost, RefusedDestinationError, type PostPolicy, type PostResult } from './guarded-post';
export { generateSigningSecret, sealSigningSecret } from './signing-secret';
export { processWebhookDelivery, DISABLE_AFTER_FAILURES, type DeliveryDeps, type DeliveryOutcome } from './deliver';
export { EVENT_DATA, type OutboundEventData } from './event-payloads';
