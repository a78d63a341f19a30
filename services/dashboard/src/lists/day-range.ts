/** A span of whole days, as list filters keep it in the URL (`YYYY-MM-DD`, both ends included). */
export interface DayRange {
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The day range read from a URL: anything that is not a day is dropped. */
export function validateDayRange(search: Record<string, unknown>): DayRange {
  const day = (value: unknown) => (typeof value === 'string' && DAY.test(value) ? value : undefined);
  const from = day(search.from);
  const to = day(search.to);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** Dates in the URL are days; the API takes instants: `to` is the end of that day. */
export function toApiRange({ from, to }: DayRange): DayRange {
  return {
    ...(from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
    ...(to ? { to: new Date(new Date(`${to}T00:00:00`).getTime() + DAY_MS).toISOString() } : {}),
  };
}
