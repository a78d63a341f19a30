import openapiTS, { astToString } from 'openapi-typescript';
import { readGatewayOpenApi } from './gateway-openapi';

export const SCHEMA_PATH = new URL('../src/gateway-schema.ts', import.meta.url);

const HEADER = `/**
 * The gateway's API as TypeScript types: generated from its OpenAPI document by
 * \`npx -y pnpm@10 generate:api-client\`. Do not edit; a test fails when it is stale.
 */
`;

/** The text of src/gateway-schema.ts for the gateway as it is in this checkout. */
export async function renderGatewaySchema(): Promise<string> {
  const document = withoutIngest(await readGatewayOpenApi());
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true, exportType: false });
  return `${HEADER}${astToString(ast)}`;
}

/** The ingest endpoints are for Twilio and VAPI on another server: the gateway's client has no use for them. */
function withoutIngest(document: Record<string, unknown>): Record<string, unknown> {
  const paths = document.paths as Record<string, Record<string, { tags?: string[] }>>;
  const gatewayPaths = Object.entries(paths).filter(([, item]) => !Object.values(item).some((operation) => operation.tags?.includes('ingest')));
  return { ...document, paths: Object.fromEntries(gatewayPaths) };
}
