import { z } from 'zod';

/**
 * RFC 9457 problem details: the body of every error the gateway answers (served as
 * `application/problem+json`). Loose: an extension member a later release adds passes through
 * the response serializer instead of being dropped.
 */
export const problemDto = z
  .looseObject({
    type: z.string().meta({ format: 'uri', description: 'identifies the kind of problem; stable per `code`' }),
    title: z.string().meta({ description: 'the HTTP status text' }),
    status: z.number().int(),
    detail: z.string().meta({ description: 'what went wrong with this request, for a human' }),
    instance: z.string().optional().meta({ description: 'the path of the request' }),
    code: z.string().meta({ description: 'stable machine-readable code (not_found, validation_failed, rate_limited, ...)' }),
    requestId: z.string().meta({ description: 'the X-Request-Id of the request, also in every log line of it' }),
    errors: z
      .array(z.object({ pointer: z.string().meta({ description: 'JSON pointer to the invalid member' }), detail: z.string() }))
      .optional()
      .meta({ description: 'for validation errors: one entry per invalid member' }),
  })
  .meta({
    id: 'Problem',
    examples: [
      {
        type: 'https://callvault.dev/errors/not_found',
        title: 'Not Found',
        status: 404,
        detail: 'recording not found',
        instance: '/v1/recordings/6f1c2a8e-3d5b-4c7a-9e2f-0a1b2c3d4e5f',
        code: 'not_found',
        requestId: 'req-3k9x',
      },
    ],
  });

/**
 * An error response of a route. Keyed by media type, so the runtime applies the schema only to
 * problem+json bodies and the document says which media type errors come in.
 */
export const problemResponse = <Schema extends z.ZodType>(schema: Schema) => ({ content: { 'application/problem+json': { schema } } }) as const;
export const problem = problemResponse(problemDto);

/** The 409 of a refused erasure: the problem plus what is under legal hold (extension members). */
export const legalHoldProblem = (held: Record<string, z.ZodType>) => problemResponse(problemDto.extend(held));
