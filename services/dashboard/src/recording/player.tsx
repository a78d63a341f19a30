import { formatDuration } from '../ui/format';

interface Props {
  audioRef: (element: HTMLAudioElement | null) => void;
  loaded: boolean;
  playing: boolean;
  currentTime: number;
  durationSeconds: number | null;
  error: string | null;
  onPlay: () => void;
}

/** The browser's own audio controls (keyboard and screen-reader ready), started by our Play so the URL is asked for only then. */
export function Player({ audioRef, loaded, playing, currentTime, durationSeconds, error, onPlay }: Props) {
  return (
    <div className="player">
      {!loaded ? (
        <button type="button" className="primary" onClick={onPlay}>
          ▶ Play recording
        </button>
      ) : null}
      {/* biome-ignore lint/a11y/useMediaCaption: a call recording has no caption track; its transcript, timed and seekable, is shown beside the player */}
      <audio ref={audioRef} controls={loaded} preload="metadata" aria-label="Recording audio" />
      <span className="muted" aria-live="off">
        {formatDuration(currentTime)} / {formatDuration(durationSeconds)} {playing ? '(playing)' : ''}
      </span>
      {error ? (
        <p role="alert" className="error-text">
          Playback: {error}
        </p>
      ) : null}
    </div>
  );
}
