import type { Violation, ViolationCategory } from './probe-runner';

/** One line per distinct problem (category, route, role, first words of the detail), with a count and an example. */
export function summarize(violations: Violation[], category: ViolationCategory): string[] {
  const groups = new Map<string, { count: number; example: Violation }>();
  for (const violation of violations.filter((entry) => entry.category === category)) {
    const key = `${violation.route} as ${violation.role}: ${violation.detail.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>').slice(0, 70)}`;
    const group = groups.get(key) ?? { count: 0, example: violation };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, group]) => `${key} (×${group.count}) e.g. ${group.example.request} → ${group.example.detail.slice(0, 300)}`);
}
