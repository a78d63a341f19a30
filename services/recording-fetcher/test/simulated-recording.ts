import { applyProviderRecording, upsertTwilioCall, type CompanyTx } from '@callvault/db';
import type { SimRecording, Simulator } from '@callvault/simulator';

/**
 * A recording of the simulated Twilio as ingest records it from the completed callback: its call,
 * and the recording pending and downloadable from the simulator. Returns the recording's id.
 */
export async function recordSimulatedRecording(
  tx: CompanyTx,
  sim: Simulator,
  recording: SimRecording,
  facts: { channels: number; startedAt?: Date },
): Promise<string> {
  const call = await upsertTwilioCall(tx, { accountSid: recording.accountSid, callSid: recording.callSid, ownerUserId: null });
  const result = await applyProviderRecording(tx, {
    callId: call.id,
    ownerUserId: null,
    provider: 'twilio',
    providerRecordingId: recording.sid,
    status: 'pending',
    mediaUrl: sim.recordingCompletedParams(recording).RecordingUrl!,
    channels: facts.channels,
    startedAt: facts.startedAt ?? null,
    downloadable: true,
  });
  return result.recordingId;
}
