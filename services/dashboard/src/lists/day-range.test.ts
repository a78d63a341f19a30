import { describe, expect, it } from 'vitest';
import { validateDayRange } from './day-range';

describe('day range from the URL', () => {
  it('keeps days and leaves out anything else, not even as an empty key', () => {
    expect(validateDayRange({ from: '2026-01-31', to: '31/01/2026' })).toEqual({ from: '2026-01-31' });
    expect(Object.keys(validateDayRange({ to: 42 }))).toEqual([]);
  });
});
