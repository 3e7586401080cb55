import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatDuration, parseDurationSeconds } from "../../src/duration";

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
});
