import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { analyseChannels, type AudioPicture } from './audio-analysis';
import { formatDuration } from '../ui/format';

const BUCKETS = 600;

/** Fetches the audio once (storage allows this origin by CORS) and decodes it in the browser. */
function useAudioPicture(url: string | null) {
  const [picture, setPicture] = useState<AudioPicture | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    (async () => {
      const bytes = await (await fetch(url)).arrayBuffer();
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

/** Waveform and the two channels' talk timeline; clicking either seeks there. */
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
  if (!picture) return <p className="state" role="status">Drawing the waveform…</p>;

  const seekFromClick = (event: MouseEvent<HTMLElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    onSeek(((event.clientX - box.left) / box.width) * picture.durationSeconds);
  };
  const parties = picture.talk.length === 2 ? ['Agent', 'Customer'] : ['Audio'];
  return (
    <div className="waveform">
      <canvas ref={canvas} width={1200} height={120} onClick={seekFromClick} role="img" aria-label={`Waveform, ${formatDuration(picture.durationSeconds)} long`} />
      <div className="timeline" aria-label="Talk timeline">
        {picture.talk.map((spans, channel) => (
          <div className="timeline-row" key={channel}>
            <span className="timeline-label">{parties[channel]}</span>
            <div className="timeline-track" onClick={seekFromClick}>
              {spans.map(([start, end]) => (
                <span
                  key={start}
                  className={`talk talk-${channel}`}
                  title={`${parties[channel]} ${formatDuration(start)}–${formatDuration(end)}`}
                  style={{ left: `${(start / picture.durationSeconds) * 100}%`, width: `${Math.max(0.2, ((end - start) / picture.durationSeconds) * 100)}%` }}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
