import type { z } from 'zod';

/** First problem of a failed parse, phrased for the 400 reply and the rejected event's reason. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}
