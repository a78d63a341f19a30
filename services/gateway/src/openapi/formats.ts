import { z } from 'zod';

/** A time in a response: ISO-8601 UTC, as `Date.toISOString()` writes it. The format is for the document. */
export const timestamp = z.string().meta({ format: 'date-time' });

/** A nullable time as `timestamp` writes it. */
export const iso = (value: Date | null | undefined): string | null => (value ? value.toISOString() : null);

/** A calendar day in a response (YYYY-MM-DD). */
export const day = z.string().meta({ format: 'date' });
