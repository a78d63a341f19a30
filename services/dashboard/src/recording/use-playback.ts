import { useCallback, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../api';

/**
 * The audio element and its signed URL. The URL is asked for on the first play or seek (asking
 * counts a play in the audit log, so merely opening the page does not); when it has expired the
 * next failure fetches a new one and resumes at the same second. Seeking is the browser's own
 * Range requests against storage.
 */
export function usePlayback(recordingId: string) {
  // A callback ref: the element appears only once the recording has loaded, and the listeners follow it.
  const [audio, audioRef] = useState<HTMLAudioElement | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [currentTime, setCurrentTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef<Promise<string> | null>(null);
  const fetchedAt = useRef(0);

  const fetchUrl = useCallback(async () => {
    const playback = await unwrap(api.GET('/v1/recordings/{id}/playback', { params: { path: { id: recordingId } } }));
    fetchedAt.current = Date.now();
    setUrl(playback.url);
    return playback.url;
  }, [recordingId]);

  const ensureLoaded = useCallback(async (): Promise<HTMLAudioElement | null> => {
    if (!audio) return null;
    if (!audio.src) {
      loading.current ??= fetchUrl();
      try {
        audio.src = await loading.current;
      } catch (cause) {
        loading.current = null;
        setError(cause instanceof Error ? cause.message : 'playback is unavailable');
        return null;
      }
    }
    return audio;
  }, [audio, fetchUrl]);

  const play = useCallback(async () => {
    const audio = await ensureLoaded();
    if (audio) await audio.play().catch((cause: unknown) => setError(cause instanceof Error ? cause.message : 'playback failed'));
  }, [ensureLoaded]);

  const seek = useCallback(
    async (seconds: number, andPlay = true) => {
      const audio = await ensureLoaded();
      if (!audio) return;
      audio.currentTime = seconds;
      setCurrentTime(seconds);
      if (andPlay && audio.paused) await audio.play().catch(() => undefined);
    },
    [ensureLoaded],
  );

  // The listeners live as long as the element: every expiry is handled, not only the first.
  useEffect(() => {
    if (!audio) return;
    let refreshing = false;
    const onTime = () => setCurrentTime(audio.currentTime);
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    const onError = async () => {
      if (refreshing) return;
      // Most likely the signed URL expired: a fresh one, resumed where it stopped.
      const at = audio.currentTime;
      // A URL this fresh has not expired: the audio itself is the problem, and asking again would loop.
      if (Date.now() - fetchedAt.current < 30_000) return setError('the audio could not be played');
      refreshing = true;
      try {
        audio.src = await fetchUrl();
        audio.currentTime = at;
        setError(null);
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : 'playback is unavailable');
      } finally {
        refreshing = false;
      }
    };
    audio.addEventListener('timeupdate', onTime);
    audio.addEventListener('play', onPlay);
    audio.addEventListener('pause', onPause);
    audio.addEventListener('error', onError);
    return () => {
      audio.removeEventListener('timeupdate', onTime);
      audio.removeEventListener('play', onPlay);
      audio.removeEventListener('pause', onPause);
      audio.removeEventListener('error', onError);
    };
  }, [audio, fetchUrl]);

  return { audioRef, url, currentTime, playing, error, play, seek };
}
