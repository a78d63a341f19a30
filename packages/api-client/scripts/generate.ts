import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderGatewaySchema, SCHEMA_PATH } from './render-schema';

/** `pnpm generate:api-client`: rewrites src/gateway-schema.ts from the gateway's routes. */
writeFileSync(SCHEMA_PATH, await renderGatewaySchema());
process.stdout.write(`wrote ${fileURLToPath(SCHEMA_PATH)}\n`);
