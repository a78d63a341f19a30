import pg from 'pg';

export interface SeedOptions {
  recordings: number;
  companies: number;
  /** Share of all recordings held by the big company (index 0). */
  bigShare: number;
  /** Share of recordings with a completed transcript. */
  transcriptShare: number;
  days: number;
}

export interface SeededUser {
  subject: string;
  id: string;
  /** Whose recordings the user sees (agent: self; manager: self and reports); null: the whole company. */
  owners: string[] | null;
}

/** Users of the big company, several per role with the same shape of scope. */
export const MANAGERS = 6;
export const AGENTS_PER_MANAGER = 7;
export const COMPANY_ADMINS = 6;

export interface SeededWorld {
  bigCompanyId: string;
  users: { agent: SeededUser[]; manager: SeededUser[]; company_admin: SeededUser[] };
  counts: { companies: number; calls: number; recordings: number; transcripts: number; rollupDays: number };
}

/** Words of the generated transcripts; `COMMON_WORD` is one of them, `RARE_WORD` is added to ~1 %. */
const WORDS = (
  'hello thanks calling about appointment schedule move friday monday tuesday morning afternoon insurance ' +
  'coverage claim policy number account balance payment card invoice billing refund charge order delivery ' +
  'tracking package address street city service technician visit repair broken replace warranty question ' +
  'answer manager supervisor transfer hold minute please sorry understand help today tomorrow week month ' +
  'price quote discount offer contract cancel renew upgrade plan internet phone line signal outage support ' +
  'ticket case email confirm verify name date birth security code reset password login website app update ' +
  'dentist cleaning checkup doctor prescription pharmacy pickup ready call back later voicemail message'
).split(' ');
export const COMMON_WORD = 'refund';
export const RARE_WORD = 'escalation';

/**
 * 1,000,000 calls and recordings (one each) across 1,000 companies in a few set-based statements,
 * as the owner. Triggers and FK checks are off for the bulk insert only (session_replication_role
 * = replica; RLS is untouched), so the rollups are then rebuilt with the product's own function for
 * every (company, day), exactly what the analytics worker would have done.
 */
export async function seedGatewayWorld(ownerUrl: string, options: SeedOptions, log: (line: string) => void): Promise<SeededWorld> {
  const clients = [new pg.Client({ connectionString: ownerUrl }), new pg.Client({ connectionString: ownerUrl })];
  await Promise.all(clients.map((client) => client.connect()));
  const [db, second] = clients as [pg.Client, pg.Client];
  const step = async (label: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  try {
    const bigRows = Math.round(options.recordings * options.bigShare);
    const smallCompanies = options.companies - 1;
    await db.query(`SET statement_timeout = 0; SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'`);
    await step(`${options.companies} companies and their users`, async () => {
      await db.query(`CREATE TEMP TABLE bench_co AS SELECT i AS idx, gen_random_uuid() AS id FROM generate_series(0, ${options.companies - 1}) i`);
      await db.query(`INSERT INTO companies (id, name, recording_format) SELECT id, 'Bench company ' || idx, 'wav' FROM bench_co`);
      await db.query(`
        INSERT INTO users (company_id, subject, role, name, email)
        SELECT c.id, 'bench-admin-' || n, 'company_admin', 'Admin ' || n, 'admin' || n || '@big.example' FROM bench_co c, generate_series(1, ${COMPANY_ADMINS}) n WHERE c.idx = 0;
        INSERT INTO users (company_id, subject, role, name, email)
        SELECT c.id, 'bench-manager-' || m, 'manager', 'Manager ' || m, 'manager' || m || '@big.example' FROM bench_co c, generate_series(1, ${MANAGERS}) m WHERE c.idx = 0;
        INSERT INTO users (company_id, subject, role, name, email, manager_id)
        SELECT c.id, 'bench-agent-' || a, 'agent', 'Agent ' || a, 'agent' || a || '@big.example',
               (SELECT u.id FROM users u WHERE u.subject = 'bench-manager-' || (1 + (a - 1) / ${AGENTS_PER_MANAGER}))
        FROM bench_co c, generate_series(1, ${MANAGERS * AGENTS_PER_MANAGER}) a WHERE c.idx = 0;
        INSERT INTO users (company_id, subject, role, name)
        SELECT id, 'bench-co-' || idx || '-agent', 'agent', 'Agent of ' || idx FROM bench_co WHERE idx > 0;
        CREATE TEMP TABLE bench_owner AS
          SELECT c.idx, array_agg(u.id ORDER BY u.subject) AS owners FROM bench_co c JOIN users u ON u.company_id = c.id AND u.role = 'agent' GROUP BY c.idx;
      `);
    });
    await db.query(`SET session_replication_role = replica`);
    await step(`${options.recordings} calls`, () =>
      db.query(`
        INSERT INTO calls (company_id, owner_user_id, provider, twilio_account_sid, twilio_call_sid, from_number, to_number, direction,
                           status, status_rank, started_at, ended_at, duration_seconds, created_at, updated_at)
        SELECT co.id, o.owners[1 + (g % array_length(o.owners, 1))], 'twilio', 'AC' || md5(co.idx::text), 'CA' || md5(g::text),
               '+1555' || lpad((g % 10000000)::text, 7, '0'), '+1312' || lpad(((g::bigint * 7919) % 10000000)::text, 7, '0'),
               CASE WHEN g % 3 = 0 THEN 'outbound-dial' ELSE 'inbound' END, 'completed', 5,
               s.started, s.started + make_interval(secs => s.dur), s.dur,
               s.started + make_interval(secs => s.dur + 2), s.started + make_interval(secs => s.dur + 2)
        FROM generate_series(1, ${options.recordings}) g
        CROSS JOIN LATERAL (SELECT now() - random() * interval '${options.days} days' + g * interval '0 second' AS started, 10 + (g * 37) % 1200 AS dur) s
        JOIN bench_co co ON co.idx = CASE WHEN g <= ${bigRows} THEN 0 ELSE 1 + g % ${smallCompanies} END
        JOIN bench_owner o ON o.idx = co.idx
      `),
    );
    await step(`${options.recordings} recordings`, () =>
      db.query(`
        INSERT INTO recordings (id, company_id, call_id, owner_user_id, provider, provider_recording_id, media_url, status, status_reason,
                                format, channels, duration_seconds, size_bytes, sha256, storage_key, from_number, to_number, direction,
                                started_at, category, starred, has_transcript, stored_at, created_at, updated_at)
        SELECT r.id, c.company_id, c.id, c.owner_user_id, 'twilio', 'RE' || md5(c.twilio_call_sid),
               'https://api.twilio.com/2010-04-01/Accounts/' || c.twilio_account_sid || '/Recordings/RE' || md5(c.twilio_call_sid),
               r.status, CASE WHEN r.status = 'failed' THEN 'gave up: Twilio answered 500' END,
               'wav', 2, c.duration_seconds,
               CASE WHEN r.status = 'stored' THEN c.duration_seconds::bigint * 32000 + 44 END,
               CASE WHEN r.status = 'stored' THEN md5(r.id::text) || md5(c.id::text) END,
               CASE WHEN r.status = 'stored' THEN 'companies/' || c.company_id || '/recordings/' || to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY/MM/DD') || '/' || c.id || '/' || r.id || '.wav' END,
               c.from_number, c.to_number, c.direction, c.started_at,
               (ARRAY['sales', 'support', 'billing', NULL])[1 + r.h % 4], r.h % 17 = 0, r.status = 'stored' AND r.h % 1000 < ${Math.round(options.transcriptShare * 1000)},
               CASE WHEN r.status = 'stored' THEN c.ended_at + interval '40 seconds' END,
               c.ended_at + random() * interval '10 seconds', c.ended_at + interval '40 seconds'
        FROM calls c
        CROSS JOIN LATERAL (
          SELECT gen_random_uuid() AS id, abs(hashtext(c.twilio_call_sid)) AS h,
                 CASE WHEN abs(hashtext(c.twilio_call_sid)) % 50 = 0 THEN 'failed' WHEN abs(hashtext(c.twilio_call_sid)) % 97 = 0 THEN 'pending' ELSE 'stored' END AS status
          WHERE c.id IS NOT NULL
        ) r
      `),
    );
    await step('transcripts', () =>
      db.query(
        `
        INSERT INTO transcripts (company_id, recording_id, status, source, language, text)
        SELECT r.company_id, r.id, 'completed', 'twilio', 'en',
               (SELECT string_agg(($1::text[])[1 + floor(random() * array_length($1::text[], 1))::int], ' ')
                FROM generate_series(1, 40 + r.duration_seconds % 60) s)
               || CASE WHEN random() < 0.01 THEN ' ${RARE_WORD}' ELSE '' END
        FROM recordings r WHERE r.has_transcript
      `,
        [WORDS],
      ),
    );
    await db.query(`SET session_replication_role = DEFAULT`);
    // The trigger that copies completed transcripts into the company search index did not fire
    // for the bulk insert: filled here as migration 0026 fills it.
    await step('company search index (transcript_search)', () =>
      db.query(`
        INSERT INTO transcript_search (transcript_id, company_id, recording_id, search)
        SELECT t.id, t.company_id, t.recording_id, t.search FROM transcripts t
        JOIN recordings r ON r.company_id = t.company_id AND r.id = t.recording_id
        WHERE t.status = 'completed' AND r.status <> 'deleted'
      `),
    );
    // Rollups from the base rows with the product's own function, as analytics refreshes them.
    await step('daily rollups (callvault_refresh_rollup_day for every company-day, 2 connections)', async () => {
      await second.query(`SET statement_timeout = 0`);
      // Each refresh holds an advisory lock until commit: a few hundred days per transaction.
      await db.query(`CREATE TABLE bench_rollup_todo AS SELECT DISTINCT company_id, call_day AS day, 0 AS batch FROM calls`);
      await db.query(`UPDATE bench_rollup_todo SET batch = abs(hashtext(company_id::text || day::text)) % 400`);
      const refresh = async (client: pg.Client, parity: number) => {
        for (let batch = parity; batch < 400; batch += 2) {
          await client.query(`SELECT count(callvault_refresh_rollup_day(company_id, day)) FROM bench_rollup_todo WHERE batch = $1`, [batch]);
        }
      };
      await Promise.all([refresh(db, 0), refresh(second, 1)]);
      await db.query(`DROP TABLE bench_rollup_todo; DELETE FROM rollup_dirty_days`);
    });
    await step('VACUUM ANALYZE', () => db.query(`VACUUM ANALYZE`));
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
  return describeGatewayWorld(ownerUrl);
}

/** The big company's users and the row counts of a seeded database (a fresh or a kept one). */
export async function describeGatewayWorld(ownerUrl: string): Promise<SeededWorld> {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    const one = async <T>(query: string) => (await db.query(query)).rows[0] as T;
    const big = await one<{ id: string }>(`SELECT company_id AS id FROM users WHERE subject = 'bench-admin-1'`);
    const users = await db.query<{ subject: string; id: string; role: string; manager_id: string | null }>(
      `SELECT subject, id, role, manager_id FROM users WHERE company_id = $1 ORDER BY length(subject), subject`,
      [big.id],
    );
    const ofRole = (role: string) => users.rows.filter((row) => row.role === role);
    const counts = await one<SeededWorld['counts']>(`
      SELECT (SELECT count(*) FROM companies)::int AS companies, (SELECT count(*) FROM calls)::int AS calls,
             (SELECT count(*) FROM recordings)::int AS recordings, (SELECT count(*) FROM transcripts)::int AS transcripts,
             (SELECT count(*) FROM daily_rollups)::int AS "rollupDays"`);
    return {
      bigCompanyId: big.id,
      users: {
        agent: ofRole('agent').map((row) => ({ subject: row.subject, id: row.id, owners: [row.id] })),
        manager: ofRole('manager').map((row) => ({
          subject: row.subject,
          id: row.id,
          owners: [row.id, ...users.rows.filter((user) => user.manager_id === row.id).map((user) => user.id)],
        })),
        company_admin: ofRole('company_admin').map((row) => ({ subject: row.subject, id: row.id, owners: null })),
      },
      counts,
    };
  } finally {
    await db.end();
  }
}
