import { createLogger, type Logger } from '@callvault/logging';

/** Every line a set of loggers writes, kept in memory so a test can search all of it. */
export interface LogCapture {
  lines: string[];
  logger(name: string): Logger;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) };
  return { lines, logger: (name) => createLogger({ name, level: 'trace' }, destination) };
}
