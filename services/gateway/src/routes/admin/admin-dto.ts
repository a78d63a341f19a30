import { z } from 'zod';
import { iso, timestamp } from '../../openapi/formats';
import type { ApiKey, WebhookDeliveryRow, WebhookEndpoint, AuditEvent, Company, PhoneNumber, User, WebhookEvent, WebhookEventSummary } from '@callvault/db';

/** Administration resources: snake_case rows → camelCase JSON, field by field, as in ../../dto.ts. */

export const E164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'expected an E.164 number such as +13125550187');

export const companyDto = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    retentionDays: z.number().int().nullable(),
    recordingFormat: z.enum(['mp3', 'wav']),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Company' });

export function toCompanyDto(row: Company): z.infer<typeof companyDto> {
  return {
    id: row.id,
    name: row.name,
    retentionDays: row.retention_days,
    recordingFormat: row.recording_format,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const userDto = z
  .object({
    id: z.string().uuid(),
    companyId: z.string().uuid(),
    subject: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    role: z.enum(['agent', 'manager', 'company_admin']),
    managerId: z.string().uuid().nullable(),
    disabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'User' });

export function toUserDto(row: User): z.infer<typeof userDto> {
  return {
    id: row.id,
    companyId: row.company_id,
    subject: row.subject,
    email: row.email,
    name: row.name,
    role: row.role,
    managerId: row.manager_id,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const phoneNumberDto = z
  .object({
    id: z.string().uuid(),
    companyId: z.string().uuid(),
    e164: z.string(),
    matchOn: z.enum(['from', 'to']),
    ownerUserId: z.string().uuid().nullable(),
    vapiAssistantId: z.string().nullable(),
    label: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PhoneNumber' });

export function toPhoneNumberDto(row: PhoneNumber): z.infer<typeof phoneNumberDto> {
  return {
    id: row.id,
    companyId: row.company_id,
    e164: row.e164,
    matchOn: row.match_on,
    ownerUserId: row.owner_user_id,
    vapiAssistantId: row.vapi_assistant_id,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const auditEventDto = z
  .object({
    id: z.string().uuid(),
    companyId: z.string().uuid(),
    actorUserId: z.string().uuid().nullable(),
    actorSubject: z.string(),
    actorRole: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'AuditEvent' });

export function toAuditEventDto(row: AuditEvent): z.infer<typeof auditEventDto> {
  return {
    id: row.id,
    companyId: row.company_id,
    actorUserId: row.actor_user_id,
    actorSubject: row.actor_subject,
    actorRole: row.actor_role,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details,
    ip: row.ip,
    userAgent: row.user_agent,
    createdAt: row.created_at.toISOString(),
  };
}

export const webhookEventSummaryDto = z
  .object({
    id: z.string().uuid(),
    companyId: z.string().uuid().nullable(),
    provider: z.enum(['twilio', 'vapi']),
    eventType: z.string(),
    idempotencyKey: z.string(),
    status: z.enum(['accepted', 'quarantined', 'rejected']),
    reason: z.string().nullable(),
    externalAccountId: z.string().nullable(),
    callRef: z.string().nullable(),
    requestPath: z.string(),
    /** When the event's effects (calls, recordings, jobs) committed; null on an accepted event: still to come. */
    appliedAt: timestamp.nullable(),
    effectsAttempts: z.number().int().describe('failed attempts at applying the effects'),
    effectsRetryAt: timestamp.nullable().describe('when the effects loop tries a failing event again'),
    effectsError: z.string().nullable().describe('why the last attempt failed'),
    receivedAt: timestamp,
  })
  .meta({ id: 'WebhookEventSummary' });

export const webhookEventDto = webhookEventSummaryDto.extend({ payload: z.record(z.string(), z.unknown()) }).meta({ id: 'WebhookEvent' });

export function toWebhookEventSummaryDto(row: WebhookEventSummary | WebhookEvent): z.infer<typeof webhookEventSummaryDto> {
  return {
    id: row.id,
    companyId: row.company_id,
    provider: row.provider,
    eventType: row.event_type,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    reason: row.reason,
    externalAccountId: row.external_account_id,
    callRef: row.call_ref,
    requestPath: row.request_path,
    appliedAt: iso(row.applied_at),
    effectsAttempts: row.effects_attempts,
    effectsRetryAt: iso(row.effects_retry_at),
    effectsError: row.effects_error,
    receivedAt: row.received_at.toISOString(),
  };
}

export function toWebhookEventDto(row: WebhookEvent): z.infer<typeof webhookEventDto> {
  return { ...toWebhookEventSummaryDto(row), payload: row.payload };
}

export const apiKeyDto = z
  .object({
    id: z.uuid(),
    companyId: z.uuid(),
    name: z.string(),
    role: z.enum(['company_admin', 'manager', 'agent']),
    userId: z.uuid().describe('the user the key acts as'),
    readOnly: z.boolean(),
    prefix: z.string().describe('the first characters of the key, to tell keys apart'),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    rotatedTo: z.uuid().nullable().describe('the key that replaced this one in a rotation'),
    createdAt: timestamp,
  })
  .meta({ id: 'ApiKey' });

export function toApiKeyDto(row: ApiKey): z.infer<typeof apiKeyDto> {
  return {
    id: row.id,
    companyId: row.company_id,
    name: row.name,
    role: row.role,
    userId: row.user_id,
    readOnly: row.read_only,
    prefix: row.token_prefix,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
    rotatedTo: row.rotated_to,
    createdAt: row.created_at.toISOString(),
  };
}

export const webhookEndpointDto = z
  .object({
    id: z.uuid(),
    companyId: z.uuid(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().describe('why the endpoint was disabled after repeated failures'),
    consecutiveFailures: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'WebhookEndpoint' });

export function toWebhookEndpointDto(row: WebhookEndpoint): z.infer<typeof webhookEndpointDto> {
  return {
    id: row.id,
    companyId: row.company_id,
    url: row.url,
    events: row.event_types,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const webhookDeliveryDto = z
  .object({
    id: z.uuid().describe('the webhook-id of every attempt'),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    payload: z.record(z.string(), z.unknown()),
    createdAt: timestamp,
    deliveredAt: timestamp.nullable(),
    attempts: z.array(
      z.object({
        attempt: z.number().int(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        latencyMs: z.number().int(),
        responseExcerpt: z.string().nullable(),
        attemptedAt: timestamp,
      }),
    ),
  })
  .meta({ id: 'WebhookDelivery' });

export function toWebhookDeliveryDto(row: WebhookDeliveryRow): z.infer<typeof webhookDeliveryDto> {
  return {
    id: row.id,
    eventType: row.event_type,
    status: row.status,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
    deliveredAt: iso(row.delivered_at),
    // Aggregated as JSON by Postgres: times arrive as text.
    attempts: row.attempt_list.map((attempt) => ({
      attempt: attempt.attempt,
      statusCode: attempt.status_code,
      error: attempt.error,
      latencyMs: attempt.latency_ms,
      responseExcerpt: attempt.response_excerpt,
      attemptedAt: new Date(attempt.attempted_at as unknown as string).toISOString(),
    })),
  };
}
