/**
 * Durations as users write them in stack config: a whole number and one unit, `90s`, `15m`, `1h`, `30d`.
 * One format everywhere, so that `tokens.refreshIdleTimeout: 30d` reads the same for every IdP.
 */

/** Seconds in one of each unit a duration may be written in. */
export const DURATION_UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** A unit a duration may be written in: seconds, minutes, hours or days. */
export type DurationUnit = keyof typeof DURATION_UNIT_SECONDS;

const DURATION_PATTERN = /^(\d+)([smhd])$/;

/** Explains the accepted format; used in config error messages. */
export const DURATION_FORMAT_HINT = "write a whole number and a unit: 90s, 15m, 1h or 30d";

/** Parses `90s` / `15m` / `1h` / `30d` into seconds; undefined when the text is not of that form. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * DURATION_UNIT_SECONDS[match[2] as DurationUnit];
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** Writes seconds back in the largest unit that divides them exactly, e.g. 86400 → `1d`, 5400 → `90m`. */
export function formatDuration(seconds: number): string {
  for (const unit of ["d", "h", "m"] as const) {
    const size = DURATION_UNIT_SECONDS[unit];
    if (seconds % size === 0 && seconds >= size) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

const UTC_MONTH_OR_DAY = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/**
 * Milliseconds since the epoch of a UTC month (`2026-11`, its first day) or day (`2026-11-28`) at 00:00 UTC;
 * undefined when the text is not of that form or not a real date (`2026-02-30`).
 */
export function parseUtcMonthOrDay(text: string): number | undefined {
  const match = UTC_MONTH_OR_DAY.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), match[3] === undefined ? 1 : Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? time : undefined;
}
