import { describe, expect, it } from 'vitest';
import { toApiQuery, validateListFilters } from './filters';

describe('list filters from the URL', () => {
  it('keeps valid values and drops anything else', () => {
    expect(
      validateListFilters({
        from: '2026-01-31',
        to: '31/01/2026',
        direction: 'sideways',
        starred: true,
        sortBy: 'duration',
        sortOrder: 'up',
        ownerUserId: "1' or 1=1",
        search: '  +1312  ',
      }),
    ).toEqual({ from: '2026-01-31', starred: 'true', sortBy: 'duration', search: '+1312' });
  });

  it('turns days into the instants the API takes, the end day included', () => {
    const query = toApiQuery({ from: '2026-03-01', to: '2026-03-01', direction: 'inbound' });
    expect(new Date(query.to!).getTime() - new Date(query.from!).getTime()).toBe(86_400_000);
    expect(query.direction).toBe('inbound');
  });
});
