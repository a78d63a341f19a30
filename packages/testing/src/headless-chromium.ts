import { existsSync } from 'node:fs';

/** Debian's Chromium: the machines this runs on reach no browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM_PATH);

/**
 * How a test launches it: headless, and without the background networking that a closed network
 * refuses at every start (updates, sync, QUIC).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;
