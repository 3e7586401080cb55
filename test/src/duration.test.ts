import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DURATION_FORMAT_HINT, formatDuration, parseDurationSeconds, parseUtcMonthOrDay } from "../../src/duration";

describe("durations", () => {
  it("reads each unit", () => {
    assert.equal(parseDurationSeconds("90s"), 90);
    assert.equal(parseDurationSeconds("15m"), 900);
    assert.equal(parseDurationSeconds("1h"), 3600);
    assert.equal(parseDurationSeconds("30d"), 2592000);
  });

  it("refuses anything but a whole number and one unit", () => {
    for (const bad of ["", "1", "1w", "1h30m", "1.5h", "-1h", "h1", "99999999999999999999d"]) {
      assert.equal(parseDurationSeconds(bad), undefined, bad);
    }
  });

  it("writes seconds back in the largest exact unit, and reads them back the same", () => {
    assert.equal(formatDuration(86400), "1d");
    assert.equal(formatDuration(5400), "90m");
    assert.equal(formatDuration(61), "61s");
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 ** 9 }), (seconds) => {
      assert.equal(parseDurationSeconds(formatDuration(seconds)), seconds);
    }));
  });

  it("ignores spaces around a duration, as a stack file may leave them", () => {
    assert.equal(parseDurationSeconds(" 2h "), 7200);
  });

  it("writes zero in seconds, not in days", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(59), "59s");
    assert.equal(formatDuration(60), "1m");
  });

  it("explains the format with an example of every unit", () => {
    assert.match(DURATION_FORMAT_HINT, /whole number and a unit: 90s, 15m, 1h or 30d/);
  });
});

describe("UTC months and days", () => {
  it("reads a month as its first day and a day as itself, at 00:00 UTC", () => {
    assert.equal(parseUtcMonthOrDay("2026-11"), Date.UTC(2026, 10, 1));
    assert.equal(parseUtcMonthOrDay("2026-11-28"), Date.UTC(2026, 10, 28));
    assert.equal(parseUtcMonthOrDay(" 2026-01-31 "), Date.UTC(2026, 0, 31));
  });

  it("refuses dates that do not exist, in the day, the month or the year", () => {
    for (const bad of ["2026-02-30", "2026-13", "2026-00", "2026-04-31", "2026-11-00", "0000-00-00", "0050-01-01"]) {
      assert.equal(parseUtcMonthOrDay(bad), undefined, bad);
    }
  });

  it("refuses anything but YYYY-MM or YYYY-MM-DD", () => {
    for (const bad of ["x2026-11", "2026-11x", "2026-11-2", "2026-11-2x", "2026-1", "26-11", "2026/11", "2026-11-28T00:00:00Z", ""]) {
      assert.equal(parseUtcMonthOrDay(bad), undefined, bad);
    }
  });

  it("every real day of a leap and a common year reads back as itself (property)", () => {
    fc.assert(fc.property(fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }), (date) => {
      const day = date.toISOString().slice(0, 10);
      assert.equal(parseUtcMonthOrDay(day), Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
    }));
  });
});
