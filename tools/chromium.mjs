/** Where the browser tests find Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
import { existsSync } from 'node:fs';

export const CHROMIUM_HELP = [
  'Browser tests need Chromium, and none was found.',
  'Install it with:  sudo apt-get update && sudo apt-get install -y chromium',
  'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  '(`npx playwright install` cannot download browsers on machines without internet access.)',
].join('\n');

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path) => path && existsSync(path));
}
