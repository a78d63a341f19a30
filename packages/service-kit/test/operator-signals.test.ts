import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The alert rules and the Grafana dashboard read metrics by name: a renamed metric would leave an
 * alert that can never fire. Every series they use must be one docs/metrics.md documents, and
 * every alert must have its row there. (promtool checks the rules' syntax and behaviour in CI.)
 */
const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const metricsDoc = read('docs/metrics.md');
const rules = parse(read('infra/prometheus/alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
const dashboard = JSON.parse(read('infra/grafana/callvault-dashboard.json')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };

/** Our series in an expression (histogram suffixes folded into the documented name). */
const seriesIn = (expr: string) =>
  [...expr.matchAll(/\b((?:callvault|nodejs)_[a-z0-9_]+)/g)].map(([, name]) => name!.replace(/_(bucket|count|sum)$/, '').replace(/_p99_seconds$/, '_seconds'));

describe('operator signals', () => {
  const alerts = rules.groups.flatMap((group) => group.rules);

  it('alerts only on documented series, and documents every alert', () => {
    expect(alerts.length).toBeGreaterThan(5);
    for (const rule of alerts) {
      expect(metricsDoc, `alert ${rule.alert} is not in docs/metrics.md`).toContain(`| \`${rule.alert}\` |`);
      for (const series of seriesIn(rule.expr))
        expect(metricsDoc, `${rule.alert} reads ${series}`).toContain(series.startsWith('nodejs_') ? 'nodejs_eventloop_lag' : `\`${series}\``);
    }
  });

  it('draws only documented series on the dashboard', () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(exprs.length).toBeGreaterThan(5);
    for (const { panel, expr } of exprs) {
      for (const series of seriesIn(expr))
        expect(metricsDoc, `${panel} reads ${series}`).toContain(series.startsWith('nodejs_') ? 'nodejs_eventloop_lag' : `\`${series}\``);
    }
  });
});
