/**
 * Durations as plans write them: `90s`, `30m`, `2h`, `1h30m`, `1d`, `500ms`.
 * One parser for the whole product so that the schema, `plan` and the runner agree.
 */
const DURATION = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** The longest delay one timer can hold (2^31-1 ms, about 24.8 days); longer waits are split. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [, d, h, min, s, ms] = m;
  const total =
    Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(min ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
  return Number.isSafeInteger(total) ? total : undefined;
}

/** A compact human form: 1h30m, 2m05s, 950ms. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (d > 0) return `${d}d${h > 0 ? `${h}h` : ''}`;
  if (h > 0) return `${h}h${m > 0 ? `${String(m).padStart(2, '0')}m` : ''}`;
  if (m > 0) return `${m}m${s > 0 ? `${String(s).padStart(2, '0')}s` : ''}`;
  return `${s}s`;
}
