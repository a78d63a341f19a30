import { type DayRange, toApiRange, validateDayRange } from './day-range';

/**
 * List filters live in the URL (shareable, survive a reload, back button works). Everything read
 * from the URL is validated here: unknown values are dropped rather than sent to the API.
 */
export interface ListFilters extends DayRange {
  search?: string;
  ownerUserId?: string;
  status?: string;
  direction?: 'inbound' | 'outbound';
  starred?: 'true' | 'false';
  archived?: 'true' | 'false';
  sortBy?: 'startedAt' | 'duration' | 'createdAt';
  sortOrder?: 'asc' | 'desc';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const RECORDING_STATUSES = ['pending', 'fetching', 'stored', 'failed', 'absent'] as const;

function pick<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function validateListFilters(search: Record<string, unknown>): ListFilters {
  const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim().length > 0 ? value.trim().slice(0, max) : undefined);
  const filters: ListFilters = {
    ...validateDayRange(search),
    search: text(search.search, 100),
    ownerUserId: typeof search.ownerUserId === 'string' && UUID.test(search.ownerUserId) ? search.ownerUserId : undefined,
    status: text(search.status, 40),
    direction: pick(search.direction, ['inbound', 'outbound']),
    starred: pick(String(search.starred ?? ''), ['true', 'false']),
    archived: pick(String(search.archived ?? ''), ['true', 'false']),
    sortBy: pick(search.sortBy, ['startedAt', 'duration', 'createdAt']),
    sortOrder: pick(search.sortOrder, ['asc', 'desc']),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as ListFilters;
}

/** The filters as the list APIs take them: days become instants. */
export function toApiQuery(filters: ListFilters): Record<string, string> {
  const { from, to, ...rest } = filters;
  return { ...(rest as Record<string, string>), ...toApiRange({ from, to }) };
}
