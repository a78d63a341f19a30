import { sql, type Kysely } from 'kysely';

/**
 * Which speech-to-text service transcribes a company's audio: Deepgram, the operator's
 * OpenAI-compatible server, or none. Kept beside the company's other intelligence settings; the
 * default is Deepgram, which is what every company got before the choice existed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE intelligence_settings
      ADD COLUMN speech_to_text text NOT NULL DEFAULT 'deepgram' CHECK (speech_to_text IN ('deepgram', 'openai', 'none'))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE intelligence_settings DROP COLUMN IF EXISTS speech_to_text`.execute(db);
}
