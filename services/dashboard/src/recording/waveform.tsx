import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { analyseChannels, type AudioPicture } from './audio-analysis';
import { formatDuration } from '../ui/format';

const BUCKETS = 600;
/** Seconds moved by an arrow key and by Page Up / Page Down on the timeline, as a native range input would. */
const STEP_SECONDS = 5;
const PAGE_SECONDS = 30;

const FETCH_ATTEMPTS = 3;

/**
 * The audio's bytes from storage (which allows this origin by CORS). Never from the HTTP cache:
 * the player reads the same URL without CORS (so playback works on storage without a CORS rule),
 * and a cached copy of that answer carries no Access-Control-Allow-Origin, so the browser would
 * refuse it here ("Failed to fetch"), depending only on whether the player's read finished first.
 * A read that fails on the way (a dropped connection) is tried again shortly; an answer that is
 * not 2xx is a failure at once.
 */
async function fetchAudioBytes(url: string): Promise<ArrayBuffer> {
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(url, { cache: 'no-store' });
    } catch (cause) {
      if (attempt >= FETCH_ATTEMPTS) throw cause;
      await new Promise((resolve) => setTimeout(resolve, 400 * attempt));
      continue;
    }
    if (!response.ok) throw new Error(`storage answered ${response.status}`);
    return response.arrayBuffer();
  }
}

/** Fetches the audio once and decodes it in the browser. */
function useAudioPicture(url: string | null) {
  const [picture, setPicture] = useState<AudioPicture | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    (async () => {
      const bytes = await fetchAudioBytes(url);
      const context = new OfflineAudioContext(1, 1, 8000);
      const decoded = await context.decodeAudioData(bytes);
      const channels = Array.from({ length: Math.min(2, decoded.numberOfChannels) }, (_, index) => decoded.getChannelData(index));
      if (!cancelled) setPicture(analyseChannels(channels, decoded.sampleRate, BUCKETS));
    })().catch((cause: unknown) => {
      if (!cancelled) setFailed(cause instanceof Error ? cause.message : 'could not decode the audio');
    });
    return () => {
      cancelled = true;
    };
  }, [url]);
  return { picture, failed };
}

interface Props {
  url: string | null;
  currentTime: number;
  onSeek: (seconds: number) => void;
}

/** Waveform and the two channels' talk timeline; clicking either seeks there, and the timeline is a slider the keyboard moves too. */
export function Waveform({ url, currentTime, onSeek }: Props) {
  const { picture, failed } = useAudioPicture(url);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context || !picture) return;
    const { width, height } = element;
    context.clearRect(0, 0, width, height);
    const rows = picture.peaks.length;
    picture.peaks.forEach((peaks, channel) => {
      const mid = ((channel + 0.5) * height) / rows;
      const amplitude = height / rows / 2;
      context.fillStyle = channel === 0 ? '#1f4e79' : '#8a4b08';
      peaks.forEach((peak, index) => {
        const x = (index / peaks.length) * width;
        context.fillRect(x, mid - peak * amplitude, Math.max(1, width / peaks.length - 0.5), Math.max(1, peak * amplitude * 2));
      });
    });
    const x = (currentTime / Math.max(0.001, picture.durationSeconds)) * width;
    context.fillStyle = '#c00';
    context.fillRect(x, 0, 2, height);
  }, [picture, currentTime]);

  if (!url) return <p className="muted">The waveform and talk timeline appear once the recording is loaded (press Play).</p>;
  if (failed) return <p className="muted">Waveform unavailable: {failed}</p>;
  if (!picture)
    return (
      <p className="state" role="status">
        Drawing the waveform…
      </p>
    );

  const duration = picture.durationSeconds;
  const seekAt = (clientX: number, area: Element) => {
    const box = area.getBoundingClientRect();
    onSeek(((clientX - box.left) / box.width) * duration);
  };
  const seekFromCanvas = (event: MouseEvent<HTMLCanvasElement>) => seekAt(event.clientX, event.currentTarget);
  // The rows' labels share the slider; only a click on a track says where to go.
  const seekFromTimeline = (event: MouseEvent<HTMLElement>) => {
    const track = event.target instanceof Element ? event.target.closest('.timeline-track') : null;
    if (track) seekAt(event.clientX, track);
  };
  const seekFromKey = (event: KeyboardEvent<HTMLElement>) => {
    const to = {
      ArrowLeft: currentTime - STEP_SECONDS,
      ArrowDown: currentTime - STEP_SECONDS,
      ArrowRight: currentTime + STEP_SECONDS,
      ArrowUp: currentTime + STEP_SECONDS,
      PageDown: currentTime - PAGE_SECONDS,
      PageUp: currentTime + PAGE_SECONDS,
      Home: 0,
      End: duration,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    onSeek(Math.min(duration, Math.max(0, to)));
  };
  const parties = picture.talk.length === 2 ? ['Agent', 'Customer'] : ['Audio'];
  return (
    <div className="waveform">
      <canvas ref={canvas} width={1200} height={120} onClick={seekFromCanvas} role="img" aria-label={`Waveform, ${formatDuration(duration)} long`} />
      <div
        className="timeline"
        role="slider"
        tabIndex={0}
        aria-label="Talk timeline"
        aria-valuemin={0}
        aria-valuemax={Math.round(duration)}
        aria-valuenow={Math.min(Math.round(duration), Math.round(currentTime))}
        aria-valuetext={`${formatDuration(currentTime)} of ${formatDuration(duration)}`}
        onClick={seekFromTimeline}
        onKeyDown={seekFromKey}
      >
        {picture.talk.map((spans, channel) => (
          <div className="timeline-row" key={parties[channel]}>
            <span className="timeline-label">{parties[channel]}</span>
            <div className="timeline-track">
              {spans.map(([start, end]) => (
                <span
                  key={start}
                  className={`talk talk-${channel}`}
                  title={`${parties[channel]} ${formatDuration(start)}–${formatDuration(end)}`}
                  style={{ left: `${(start / duration) * 100}%`, width: `${Math.max(0.2, ((end - start) / duration) * 100)}%` }}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
