import { z } from 'zod';

const isoDate = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date')
  .transform((value) => new Date(value));
const shortText = z.string().max(500);
const phone = z.string().max(64);

const call = z.object({
  id: z.string().min(1).max(100),
  orgId: z.string().min(1).max(100),
  type: z.string().max(64).optional(),
  status: z.string().max(64).optional(),
  startedAt: isoDate.optional(),
  endedAt: isoDate.optional(),
  endedReason: shortText.optional(),
  customer: z.object({ number: phone.optional() }).passthrough().optional(),
  transport: z
    .object({
      callSid: z
        .string()
        .regex(/^CA[0-9a-f]{32}$/)
        .optional(),
      accountSid: z.string().optional(),
    })
    .passthrough()
    .optional(),
  assistantOverrides: z
    .object({ metadata: z.record(z.string(), z.unknown()).optional() })
    .passthrough()
    .optional(),
});

const base = {
  timestamp: z.number().optional(),
  call,
  phoneNumber: z.object({ number: phone.optional() }).passthrough().optional(),
  customer: z.object({ number: phone.optional() }).passthrough().optional(),
};

export const statusUpdateMessage = z.object({
  ...base,
  type: z.literal('status-update'),
  status: z.enum(['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended']),
  endedReason: shortText.optional(),
});

export const endOfCallReportMessage = z.object({
  ...base,
  type: z.literal('end-of-call-report'),
  endedReason: shortText.optional(),
  startedAt: isoDate.optional(),
  endedAt: isoDate.optional(),
  cost: z.number().nonnegative().max(1e6).optional(),
  analysis: z
    .object({ summary: z.string().max(20_000).optional(), successEvaluation: z.union([z.string(), z.boolean(), z.number()]).optional() })
    .passthrough()
    .optional(),
  artifact: z
    .object({
      recordingUrl: z.string().url().max(2048).optional(),
      stereoRecordingUrl: z.string().url().max(2048).optional(),
      recording: z
        .object({ stereoUrl: z.string().url().max(2048).optional() })
        .passthrough()
        .optional(),
    })
    .passthrough()
    .optional(),
});

export const assistantRequestMessage = z.object({ ...base, type: z.literal('assistant-request') });

export type StatusUpdateMessage = z.infer<typeof statusUpdateMessage>;
export type EndOfCallReportMessage = z.infer<typeof endOfCallReportMessage>;
export type VapiCallFields = z.infer<typeof call>;

/** The only fields needed before authentication: which org, which call, which type. */
export const envelope = z.object({
  message: z
    .object({
      type: z.string().min(1).max(64),
      // The org id is looked up before anything is authenticated: only the characters an org id has.
      call: z.object({ id: z.string().max(100).optional(), orgId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a VAPI org id') }).passthrough(),
    })
    .passthrough(),
});

/** Inbound: the customer calls our number. Outbound: our number calls the customer. */
export function vapiNumbers(message: {
  call: VapiCallFields;
  phoneNumber?: { number?: string | undefined } | undefined;
  customer?: { number?: string | undefined } | undefined;
}) {
  const ours = message.phoneNumber?.number ?? null;
  const theirs = message.customer?.number ?? message.call.customer?.number ?? null;
  const outbound = message.call.type === 'outboundPhoneCall';
  return {
    from: outbound ? ours : theirs,
    to: outbound ? theirs : ours,
    direction: outbound ? 'outbound' : message.call.type === 'webCall' ? 'web' : 'inbound',
  };
}

export function tagOf(call: VapiCallFields): string | undefined {
  const value = call.assistantOverrides?.metadata?.callvault;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The report's short-lived presigned recording URL, if it carries one: the fetcher's fallback when
 * VAPI's API refuses the org's key. It changes on every delivery, so it is read, never keyed on.
 */
export function presignedRecordingOf(
  message: { artifact?: Record<string, unknown> | undefined },
  channels: number | null,
): { url: string; expiresAt: Date | null } | undefined {
  const artifact = message.artifact;
  const url = channels === 1 ? artifact?.presignedMonoUrl : (artifact?.presignedStereoUrl ?? artifact?.presignedMonoUrl);
  if (typeof url !== 'string' || !URL.canParse(url)) return undefined;
  const expires = typeof artifact?.presignedUrlsExpiresAt === 'string' ? new Date(artifact.presignedUrlsExpiresAt) : null;
  return { url, expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null };
}
