import { sql, type Kysely } from 'kysely';

/**
 * The W3C traceparent of the trace a stored event or an outbox job belongs to: its effects and
 * its job run later, in another transaction or process, and join that trace through it. Null
 * when tracing is off. A nullable column without a default is added without rewriting or
 * scanning the table (on webhook_events, partitioned by 0024, to every month at once). Numbered
 * after 0024 although written beside it: a database already at 0024 must be able to take it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhook_events ADD COLUMN traceparent text;
    ALTER TABLE job_outbox ADD COLUMN traceparent text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE job_outbox DROP COLUMN traceparent;
    ALTER TABLE webhook_events DROP COLUMN traceparent;
  `.execute(db);
}
