import type { LightMyRequestResponse } from 'fastify';

/** Everything a caller receives, as one lower-cased text: the body and every header. */
export function responseText(response: LightMyRequestResponse): string {
  return `${JSON.stringify(response.headers)}\n${response.body}`.toLowerCase();
}

/**
 * Tokens of the forbidden set that appear in the response. A token the request itself carried
 * (an id the caller put in the URL, echoed in a 404 message) tells the caller nothing new and
 * is not counted.
 */
export function leakedTokens(forbidden: ReadonlyMap<string, string>, response: LightMyRequestResponse, requestText: string): string[] {
  const text = responseText(response);
  const sent = requestText.toLowerCase();
  const leaked: string[] = [];
  for (const [token, label] of forbidden) if (text.includes(token) && !sent.includes(token)) leaked.push(`${token} (${label})`);
  return leaked;
}

const INTERNALS: Array<[RegExp, string]> = [
  [/\n\s+at\s/, 'a stack frame'],
  [/\bat [\w$.<>]+ \(/, 'a stack frame'],
  [/node_modules/, 'node_modules'],
  [/\/work\/|\/src\/|\.ts:\d+/, 'a source path'],
  [/\b(select|insert|update|delete)\b[\s\S]{0,80}\b(from|into|set|where)\b/i, 'SQL text'],
  [/\b(syntax error at|violates .* constraint|relation ".*"|column ".*")/i, 'a Postgres message'],
  [/\bkysely\b|\bpg-protocol\b|\bZodError\b/i, 'a library name'],
];

const PROBLEM_MEMBERS = ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'];

/** How an error body departs from the contract's RFC 9457 problem (members, status, type, request id). */
function problemShapeProblems(response: LightMyRequestResponse, body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!/^application\/problem\+json/.test(String(response.headers['content-type'])))
    problems.push(`error content type ${String(response.headers['content-type'])}`);
  const members = Object.keys(body)
    .filter((key) => key !== 'errors')
    .sort();
  if (members.join() !== PROBLEM_MEMBERS.join()) problems.push(`error body members ${members.join()} ≠ ${PROBLEM_MEMBERS.join()}`);
  for (const member of ['title', 'detail', 'instance', 'code', 'requestId'] as const)
    if (typeof body[member] !== 'string' || body[member] === '') problems.push(`error body without a string ${member}`);
  if (body.status !== response.statusCode) problems.push(`error body status ${String(body.status)} ≠ ${response.statusCode}`);
  if (body.type !== `https://callvault.dev/errors/${String(body.code)}`) problems.push(`error body type ${String(body.type)} does not name its code`);
  if (body.requestId !== response.headers['x-request-id']) problems.push('error body requestId ≠ X-Request-Id');
  if ('errors' in body && (body.code !== 'validation_failed' || !Array.isArray(body.errors))) problems.push('errors[] outside a validation error');
  return problems;
}

/** Problems with an error body: not the contract's problem details, or internals shown. */
export function errorBodyProblems(response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  if (response.statusCode >= 400) {
    let body: Record<string, unknown> | undefined;
    try {
      body = response.json();
    } catch {
      problems.push(`error body is not JSON: ${response.body.slice(0, 120)}`);
    }
    if (body) {
      problems.push(...problemShapeProblems(response, body));
    }
  }
  for (const [pattern, what] of INTERNALS)
    if (response.statusCode >= 400 && pattern.test(response.body)) problems.push(`error body shows ${what}: ${response.body.slice(0, 200)}`);
  return problems;
}
