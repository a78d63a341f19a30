import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api, unwrap } from '../api';
import { useMe } from '../me';
import { Player } from '../recording/player';
import { RecordingActions } from '../recording/recording-actions';
import { TranscriptView } from '../recording/transcript-view';
import { usePlayback } from '../recording/use-playback';
import { Waveform } from '../recording/waveform';
import { formatBytes, formatDateTime, formatDuration, formatPercent } from '../ui/format';
import { QueryState } from '../ui/states';

const route = getRouteApi('/recordings/$id');

type AudioMetrics = {
  talkRatio?: number | null;
  silenceRatio?: number | null;
  overlapSeconds?: number | null;
  turns?: number | null;
  longestMonologueSeconds?: number | null;
};

export function RecordingPage() {
  const { id } = route.useParams();
  const me = useMe();
  const recording = useQuery({ queryKey: ['recording', id], queryFn: () => unwrap(api.GET('/v1/recordings/{id}', { params: { path: { id } } })) });
  const transcript = useQuery({
    queryKey: ['transcript', id],
    enabled: recording.isSuccess,
    queryFn: () => unwrap(api.GET('/v1/recordings/{id}/transcript', { params: { path: { id } } })),
  });
  const callId = recording.data?.callId;
  const call = useQuery({
    queryKey: ['call', callId],
    enabled: callId !== undefined,
    queryFn: () => unwrap(api.GET('/v1/calls/{id}', { params: { path: { id: callId! } } })),
  });
  const playback = usePlayback(id);
  const analytics = call.data?.recordings.find((entry) => entry.id === id)?.analytics as { audio?: AudioMetrics } | null | undefined;

  return (
    <section aria-labelledby="recording-title">
      <p>
        <Link to="/recordings">← Recordings</Link>
      </p>
      <QueryState query={recording} what="recording">
        {(data) => (
          <>
            <h1 id="recording-title">
              {data.from ?? '?'} → {data.to ?? '?'}
            </h1>
            <dl className="facts">
              <dt>Started</dt>
              <dd>{formatDateTime(data.startedAt)}</dd>
              <dt>Duration</dt>
              <dd>{formatDuration(data.durationSeconds)}</dd>
              <dt>Status</dt>
              <dd>
                {data.status}
                {data.statusReason ? ` (${data.statusReason})` : ''}
              </dd>
              <dt>Size</dt>
              <dd>
                {formatBytes(data.sizeBytes)} {data.format ?? ''} {data.channels ? `· ${data.channels} channel(s)` : ''}
              </dd>
              <dt>Plays / downloads</dt>
              <dd>
                {data.playCount} / {data.downloadCount}
              </dd>
              {data.legalHold ? (
                <>
                  <dt>Legal hold</dt>
                  <dd>on: cannot be deleted</dd>
                </>
              ) : null}
            </dl>
            <RecordingActions recording={data} role={me.data?.role} />
            {data.status === 'stored' ? (
              <>
                <h2>Listen</h2>
                <Player
                  audioRef={playback.audioRef}
                  loaded={playback.url !== null}
                  playing={playback.playing}
                  currentTime={playback.currentTime}
                  durationSeconds={data.durationSeconds}
                  error={playback.error}
                  onPlay={() => void playback.play()}
                />
                <Waveform url={playback.url} currentTime={playback.currentTime} onSeek={(seconds) => void playback.seek(seconds)} />
                {analytics?.audio ? (
                  <dl className="facts metrics" aria-label="Call metrics">
                    <dt>Agent talk ratio</dt>
                    <dd>{formatPercent(analytics.audio.talkRatio)}</dd>
                    <dt>Silence</dt>
                    <dd>{formatPercent(analytics.audio.silenceRatio)}</dd>
                    <dt>Overlap</dt>
                    <dd>{formatDuration(analytics.audio.overlapSeconds)}</dd>
                    <dt>Turns</dt>
                    <dd>{analytics.audio.turns ?? '–'}</dd>
                    <dt>Longest monologue</dt>
                    <dd>{formatDuration(analytics.audio.longestMonologueSeconds)}</dd>
                  </dl>
                ) : null}
              </>
            ) : (
              <p className="state empty">The audio is not stored ({data.status}).</p>
            )}
            <h2>Transcript</h2>
            <QueryState query={transcript} what="transcript">
              {(text) => <TranscriptView transcript={text} currentTime={playback.currentTime} onSeek={(seconds) => void playback.seek(seconds)} />}
            </QueryState>
          </>
        )}
      </QueryState>
    </section>
  );
}
