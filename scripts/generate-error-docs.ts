import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROBLEM_TYPE_BASE, type ErrorCatalogue } from '@callvault/service-kit';
import { GATEWAY_ERRORS } from '../services/gateway/src/errors';
import { INGEST_ERRORS } from '../services/ingest/src/errors';

/**
 * `pnpm docs:errors`: writes docs/errors.md, the reference of every error code, from the
 * catalogues the services answer from (services/gateway/src/errors.ts, services/ingest/src/errors.ts),
 * so the reference cannot drift from the code. `--check` only compares and exits 1 when the file
 * is stale; a test does the same. Each code's `type` URL points at its anchor here.
 */
export const ERRORS_DOC = resolve(import.meta.dirname, '..', 'docs', 'errors.md');

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(catalogue: ErrorCatalogue): string {
  const rows = Object.entries(catalogue)
    .sort(([codeA, a], [codeB, b]) => a.status - b.status || codeA.localeCompare(codeB))
    .map(([code, entry]) => `| <a id="${code}"></a>\`${code}\` | ${entry.status} | ${cell(entry.title)} | ${cell(entry.description)} |`);
  return ['| code | status | title | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export function renderErrorsDoc(): string {
  return `# Error reference

<!-- Generated from services/gateway/src/errors.ts and services/ingest/src/errors.ts by \`pnpm docs:errors\`.
     Do not edit by hand: a test fails when this file and the code disagree. -->

Every error callvault answers is an RFC 9457 problem (\`Content-Type: application/problem+json\`):

\`\`\`json
{
  "type": "${PROBLEM_TYPE_BASE}validation_failed",
  "title": "Validation Failed",
  "status": 400,
  "detail": "the request has invalid fields: see errors",
  "instance": "/v1/recordings",
  "code": "validation_failed",
  "requestId": "4f6c1d9e-8a53-4c1b-9a2e-0c7d5b1e3f20",
  "errors": [{ "pointer": "/query/limit", "detail": "Too big: expected number to be <=100" }]
}
\`\`\`

- \`code\` is stable: program against it. \`type\` is \`${PROBLEM_TYPE_BASE}<code>\`; \`title\` is
  the same for every problem of a code; \`status\` repeats the HTTP status.
- \`detail\` says what went wrong this time, for a person; its wording may change.
- \`instance\` is the request path (never its query string).
- \`requestId\` is also the \`X-Request-Id\` response header and is in every log line of the
  request: quote it to the operator.
- \`errors[]\` comes with \`validation_failed\` only: one entry per invalid field, its \`pointer\`
  a JSON Pointer (RFC 6901) into the request seen as \`{ body, query, params, headers }\`
  (\`/body/tags/3\`, \`/query/limit\`, \`/params/id\`); an unknown or missing field points at the
  field itself.
- A 5xx never says more than its code and the request id: no stack trace, SQL, key or other
  company's identifier.

## Gateway (\`/v1\`, \`/docs\`, \`/app\`, \`/media\`, \`/admin\`)

${table(GATEWAY_ERRORS)}

## Ingest (\`/webhooks/*\`)

The statuses are those the providers' contract fixes (see [integration](integration.md)). VAPI's
\`assistant-request\` is answered \`200 { "error": "…" }\` when the number is not registered, as VAPI
expects, not with a problem. Besides the shared codes of the table above (\`unauthorized\`,
\`not_found\`, \`payload_too_large\`, \`unsupported_media_type\`, \`unavailable\`, …), ingest answers:

${table(Object.fromEntries(Object.entries(INGEST_ERRORS).filter(([code]) => !(code in GATEWAY_ERRORS))))}
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rendered = renderErrorsDoc();
  if (process.argv.includes('--check')) {
    if (readFileSync(ERRORS_DOC, 'utf8') !== rendered) {
      console.error('docs/errors.md is stale: run `pnpm docs:errors`');
      process.exit(1);
    }
  } else {
    writeFileSync(ERRORS_DOC, rendered);
    console.log(`wrote ${ERRORS_DOC}`);
  }
}
