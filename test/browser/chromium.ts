/**
 * Debian's Chromium for the browser tests: used where it is installed, installed with apt-get where it
 * is not and this process may (root, apt-get present), and otherwise reported as missing with the
 * reason, which the tests print before skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless run on a machine without a display or outside network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const onPath = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Null when Chromium is ready at CHROMIUM; otherwise why the browser tests cannot run. */
export function ensureChromium(log: (line: string) => void): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.getuid?.() !== 0)
    return `${CHROMIUM} is missing and only root may install it (apt-get install chromium)`;
  if (!onPath('apt-get')) return `${CHROMIUM} is missing and there is no apt-get to install it with`;
  log('installing Debian chromium for the browser tests (apt-get install -y chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env, timeout: 600_000 });
  } catch (err) {
    return `apt-get install chromium failed (${(err as Error).message.split('\n')[0]})`;
  }
  return existsSync(CHROMIUM) ? null : `apt-get installed chromium but ${CHROMIUM} is not there`;
}
