import { ConfigError, loadConfig, type Config } from './load-config';
import { productionProblems } from './production-refusals';
import { readSecretFiles } from './secret-files';
import { REQUIRED_ONE_OF, variablesUsedAs, type ServiceName } from './service-variables';

/**
 * The configuration of one process, as SERVICE_VARIABLES describes it: its required variables,
 * `<NAME>_FILE` secrets, and the refusals of NODE_ENV=production. Every problem is reported in
 * one ConfigError.
 */
export function parseServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv): Config {
  const files = readSecretFiles(env);
  const merged: NodeJS.ProcessEnv = { ...env, ...files.values };
  const problems = [...files.problems];
  let config: Config | undefined;
  try {
    config = loadConfig(merged, variablesUsedAs(service, 'required'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  for (const alternatives of REQUIRED_ONE_OF[service] ?? []) {
    if (alternatives.every((key) => !merged[key])) problems.push(`${alternatives.join(' or ')}: one is required`);
  }
  if (merged.NODE_ENV === 'production') problems.push(...productionProblems(service, merged));
  if (problems.length > 0 || config === undefined) throw new ConfigError(problems);
  return config;
}

/**
 * parseServiceConfig for a process's entry point: a bad configuration ends the process with one
 * JSON line in pino's shape (level 60 = fatal), which log collectors parse like any other line,
 * instead of a stack trace on stderr.
 */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseServiceConfig(service, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stdout.write(`${JSON.stringify({ level: 60, time: Date.now(), name: service, msg: 'invalid configuration', problems: error.problems })}\n`);
    process.exit(1);
  }
}
