// Public API of the simulator's synthetic call audio. Internals (PRNG, synth
// tables) stay private so their shapes can change without touching callers.
export { planSpeech, talkSeconds, type SpeechSegment } from './speech-plan';
export { createWavStream } from './wav-stream';
export { createMp3Stream } from './mp3-stream';
