import { parseArgs } from 'node:util';
import { ConfigError } from '@callvault/config';
import { createCliContext } from './cli-context';
import { commands, USAGE } from './commands';

/** `pnpm cli <command>`: operator commands, each printing one JSON document. */
async function main(argv: string[]): Promise<number> {
  const text = { type: 'string' } as const;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      subject: text,
      ttl: text,
      name: text,
      'retention-days': text,
      company: text,
      role: text,
      manager: text,
      email: text,
      'account-sid': text,
      'auth-token': text,
      e164: text,
      'match-on': text,
      owner: text,
      shared: { type: 'boolean' },
      detach: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const name = [positionals.slice(0, 2).join(' '), positionals[0] ?? ''].find((candidate) => candidate in commands);
  if (!name || values.help) {
    process.stderr.write(USAGE);
    return name || values.help ? 0 : 2;
  }
  const context = createCliContext();
  try {
    const result = await commands[name]!(context, values as Record<string, string | boolean | undefined>, positionals.slice(name.split(' ').length));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`callvault: ${message}\n`);
    process.exit(1);
  },
);
