import { readFileSync } from 'node:fs';
import type { ConfigKey } from './schema';
import { SERVICE_VARIABLES } from './service-variables';

const SECRET_KEYS = (Object.keys(SERVICE_VARIABLES) as ConfigKey[]).filter((key) => SERVICE_VARIABLES[key].secret);

/** `SECRETS_KEY` → `SECRETS_KEY_FILE`. */
export const fileVariableOf = (key: ConfigKey) => `${key}_FILE`;

/**
 * Docker secrets arrive as files: `<NAME>_FILE` names a file holding a secret variable's value,
 * so the value never sits in the container's environment (`docker inspect`, /proc/<pid>/environ).
 * Reads every such file; problems are collected, not thrown, so they join the schema's report.
 */
export function readSecretFiles(env: NodeJS.ProcessEnv): { values: Partial<Record<ConfigKey, string>>; problems: string[] } {
  const values: Partial<Record<ConfigKey, string>> = {};
  const problems: string[] = [];
  for (const key of SECRET_KEYS) {
    const path = env[fileVariableOf(key)];
    if (!path) continue;
    if (env[key]) {
      problems.push(`${key}: set ${key} or ${fileVariableOf(key)}, not both`);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push(`${fileVariableOf(key)}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    // Files written by `echo` or an editor end with a newline that is not part of the secret.
    const value = content.replace(/[\r\n]+$/, '');
    if (value === '') problems.push(`${fileVariableOf(key)}: ${path} is empty`);
    else values[key] = value;
  }
  return { values, problems };
}
