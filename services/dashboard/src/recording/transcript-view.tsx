import { useEffect, useRef } from 'react';
import { formatDuration } from '../ui/format';
import { withOffsets } from '../ui/text-parts';
import { splitRedactions } from './redactions';

type Segment = { speaker: string; startSeconds: number; endSeconds: number; text: string };

interface Props {
  transcript: { status: string; segments: Segment[]; text: string | null; redactionCount: number; source: string | null };
  currentTime: number;
  onSeek: (seconds: number) => void;
}

function LineText({ text }: { text: string }) {
  return (
    <>
      {withOffsets(splitRedactions(text)).map((part) =>
        part.redacted ? (
          <mark key={part.offset} className="redacted" title="Removed from the transcript">
            {part.text}
          </mark>
        ) : (
          <span key={part.offset}>{part.text}</span>
        ),
      )}
    </>
  );
}

/** Each line is a button: click or Enter seeks there; the line being heard is marked and kept in view. */
export function TranscriptView({ transcript, currentTime, onSeek }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const current = transcript.segments.findIndex((segment) => currentTime >= segment.startSeconds && currentTime < segment.endSeconds);
  useEffect(() => {
    if (current < 0) return;
    list.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  if (transcript.status !== 'completed') {
    const why = { pending: 'is being made', unavailable: 'is unavailable for this recording', failed: 'failed' }[transcript.status] ?? transcript.status;
    return <p className="state empty">The transcript {why}.</p>;
  }
  return (
    <>
      <p className="muted">
        {transcript.source ? `From ${transcript.source}. ` : ''}
        {transcript.redactionCount > 0 ? `${transcript.redactionCount} redaction(s) shown as such.` : ''}
      </p>
      {transcript.segments.length === 0 ? (
        <p className="transcript-text">
          <LineText text={transcript.text ?? ''} />
        </p>
      ) : (
        <ol className="transcript" ref={list}>
          {transcript.segments.map((segment, index) => (
            <li
              key={`${segment.startSeconds}-${segment.speaker}`}
              data-index={index}
              aria-current={index === current ? 'true' : undefined}
              className={index === current ? 'current' : undefined}
            >
              <button type="button" className="line" onClick={() => onSeek(segment.startSeconds)} data-start={segment.startSeconds}>
                <span className="time">{formatDuration(segment.startSeconds)}</span>
                <span className={`speaker speaker-${segment.speaker === 'customer' ? 'customer' : 'agent'}`}>{segment.speaker}</span>
                <span className="text">
                  <LineText text={segment.text} />
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
