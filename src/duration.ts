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
