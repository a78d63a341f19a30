import { Counter, type Registry } from 'prom-client';

/**
 * Tokens spent on language models, by model and kind (prompt, completion). Per company they are
 * in the `model_usage` table: a company label here would grow with every tenant.
 */
export function modelTokensCounter(registry: Registry): Counter<'model' | 'kind'> {
  const name = 'callvault_model_tokens_total';
  return (
    (registry.getSingleMetric(name) as Counter<'model' | 'kind'> | undefined) ??
    new Counter({
      name,
      help: 'Tokens spent on language models, by model and kind (prompt, completion).',
      labelNames: ['model', 'kind'],
      registers: [registry],
    })
  );
}
