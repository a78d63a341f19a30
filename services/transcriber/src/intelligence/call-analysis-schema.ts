import { z } from 'zod';

/**
 * What the model must answer, as one schema: validated here with zod and sent to the server as
 * JSON Schema (structured output). Bounded everywhere, so a runaway answer cannot fill the row.
 */
const quote = z.object({ quote: z.string().max(500), atSeconds: z.number().min(0) }).strict();

export const SCORECARD_ANSWERS = ['yes', 'no', 'not_applicable'] as const;

export const modelAnalysisSchema = z
  .object({
    summary: z.string().max(4000),
    topics: z.array(z.string().max(100)).max(20),
    actionItems: z
      .array(
        z
          .object({
            description: z.string().max(500),
            owner: z.string().max(100).nullable().describe('The speaker who committed to it, as named in the transcript'),
            dueDate: z.string().max(100).nullable().describe('When, as said in the call (e.g. "friday" or "2026-12-04"), or null'),
          })
          .strict(),
      )
      .max(50),
    sentiment: z.array(z.object({ speaker: z.string().max(100), sentiment: z.enum(['positive', 'neutral', 'negative']) }).strict()).max(10),
    scorecard: z
      .array(
        z
          .object({
            questionId: z.string().max(100),
            answer: z.enum(SCORECARD_ANSWERS),
            evidence: z.array(quote).max(5).describe('Quotes copied word for word from the transcript, with the startSeconds of their turn'),
          })
          .strict(),
      )
      .max(50),
  })
  .strict();

export type ModelAnalysis = z.infer<typeof modelAnalysisSchema>;

/** String lengths stay our check only: OpenAI's strict mode refuses schemas that carry them. */
function withoutLengthBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLengthBounds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'maxLength' && key !== 'minLength' && key !== '$schema')
      .map(([key, value]) => [key, withoutLengthBounds(value)]),
  );
}

/** The `response_format` of a structured-output request (OpenAI's strict json_schema). */
export function analysisResponseFormat(): Record<string, unknown> {
  const schema = withoutLengthBounds(z.toJSONSchema(modelAnalysisSchema, { target: 'draft-7' }));
  return { type: 'json_schema', json_schema: { name: 'call_analysis', strict: true, schema } };
}
