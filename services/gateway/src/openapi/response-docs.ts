import { STATUS_CODES } from 'node:http';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

type Transform = typeof jsonSchemaTransform;
type TransformInput = Parameters<Transform>[0];
type MediaTyped = { content: Record<string, { schema: unknown }> };

const isMediaTyped = (entry: unknown): entry is MediaTyped => typeof entry === 'object' && entry !== null && 'content' in entry;

/**
 * fastify-type-provider-zod's transform, plus what it leaves out: responses keyed by media type
 * (our problem+json errors) and a description per status instead of "Default Response".
 */
export const documentTransform: Transform = (input) => {
  const response = input.schema?.response as Record<string, unknown> | undefined;
  if (!response) return jsonSchemaTransform(input);
  const plain = Object.fromEntries(Object.entries(response).filter(([, entry]) => !isMediaTyped(entry)));
  const transformed = jsonSchemaTransform({ ...input, schema: { ...input.schema, response: plain } } as TransformInput);
  const documented: Record<string, unknown> = {};
  for (const [status, entry] of Object.entries(response)) {
    const description = STATUS_CODES[Number(status)] ?? status;
    if (isMediaTyped(entry)) {
      const content = Object.fromEntries(Object.entries(entry.content).map(([mediaType, { schema }]) => [mediaType, { schema: jsonOf(input, schema) }]));
      documented[status] = { description, content };
      continue;
    }
    const json = (transformed.schema.response as Record<string, Record<string, unknown>>)[status]!;
    documented[status] =
      json.type === 'null'
        ? { ...json, description: (json.description as string) ?? description }
        : { description: (json.description as string) ?? description, content: { 'application/json': { schema: json } } };
  }
  return { ...transformed, schema: { ...transformed.schema, response: documented } };
};

/** One zod schema as the document's JSON Schema (a $ref when the schema is a registered component). */
function jsonOf(input: TransformInput, schema: unknown): unknown {
  const { schema: result } = jsonSchemaTransform({ ...input, schema: { response: { 200: schema } } } as TransformInput);
  return (result.response as Record<string, unknown>)[200];
}
