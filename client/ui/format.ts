/** Display helpers for hashes, ages, durations, rates and sizes (numbers in, text out). */

/** First and last characters of a long hex id: `00ab12…9f3e`. */
export function shortHash(id: string, head = 8, tail = 4): string {
  return id.length <= head + tail + 1 ? id : `${id.slice(0, head)}…${id.slice(-tail)}`;
}

/** "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** How long ago a Unix time (seconds) was, relative to `nowMs`. */
export function formatAge(unixSeconds: number, nowMs: number): string {
  const age = nowMs / 1000 - unixSeconds;
  return age < 0 ? `in ${formatDuration(-age)}` : `${formatDuration(age)} ago`;
}

/** "1.23 M hashes/s", "12.5 k hashes/s" or "3 hashes/s" (regtest blocks need only a few). */
export function formatHashrate(hashesPerSecond: number): string {
  if (hashesPerSecond >= 1e6) return `${(hashesPerSecond / 1e6).toFixed(2)} M hashes/s`;
  if (hashesPerSecond >= 1e3) return `${(hashesPerSecond / 1e3).toFixed(1)} k hashes/s`;
  return `${Math.round(hashesPerSecond)} hashes/s`;
}

/** A count of hashes with an SI prefix: "2", "10.5 k", "3.20 M", "1.07 G". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(2)} ${unit}`;
  return n.toFixed(n < 10 && n % 1 !== 0 ? 1 : 0);
}

/** "512 B", "12.3 KiB", "4.56 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** Local wall-clock time of a Unix time in seconds. */
export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString();
}

/** Time of day for today's Unix times, else a short date and time. */
export function formatWhen(unixSeconds: number, nowMs = Date.now()): string {
  const date = new Date(unixSeconds * 1000);
  const today = new Date(nowMs).toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString()
    : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}
