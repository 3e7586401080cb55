/** PingFederate's model at its edges: version gates, grant times and the whole-minutes rule. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { grantTimeFromSeconds, grantTimeSeconds, supportsOfflineAccessSettings, versionAtLeast, wholeMinutesProblem } from "../../../idps/pingfederate/model";

describe("versionAtLeast", () => {
  it("compares dotted versions part by part, a missing or non-numeric part counting as 0", () => {
    const cases: [string, string, boolean][] = [
      ["12.1", "12.1", true], ["12.1.0.4", "12.1", true], ["12.1", "12.1.0", true], ["12.0.9", "12.1", false],
      ["13", "12.1", true], ["12", "12.1", false], ["11.3.5", "12", false], ["12.x.1", "12.0.1", true], ["12.2", "12.10", false],
    ];
    for (const [version, minimum, expected] of cases) assert.equal(versionAtLeast(version, minimum), expected, `${version} >= ${minimum}`);
  });

  it("finds the offline-access client fields from 12.1 on", () => {
    assert.deepEqual(["12.0.5", "12.1", "12.1.0.4", "12.2", "13.0"].map(supportsOfflineAccessSettings), [false, true, true, true, true]);
  });
});

describe("grant times", () => {
  it("writes seconds in the largest unit that divides them, and nothing finer than minutes", () => {
    assert.deepEqual(grantTimeFromSeconds(86400), { time: 1, unit: "DAYS" });
    assert.deepEqual(grantTimeFromSeconds(7200), { time: 2, unit: "HOURS" });
    assert.deepEqual(grantTimeFromSeconds(5400), { time: 90, unit: "MINUTES" });
    assert.deepEqual(grantTimeFromSeconds(60), { time: 1, unit: "MINUTES" });
    assert.deepEqual(grantTimeFromSeconds(2 * 86400 + 60), { time: 2881, unit: "MINUTES" });
    for (const seconds of [59, 90, 0, -60, 1.5, 2 ** 53 * 60, Number.NaN]) assert.equal(grantTimeFromSeconds(seconds), undefined, String(seconds));
  });

  it("reads a time and unit back as seconds, and nothing that is not a finite number of a known unit", () => {
    assert.equal(grantTimeSeconds(2, "DAYS"), 172800);
    assert.equal(grantTimeSeconds(1, "HOURS"), 3600);
    assert.equal(grantTimeSeconds(90, "MINUTES"), 5400);
    for (const [time, unit] of [["2", "DAYS"], [Number.NaN, "DAYS"], [Number.POSITIVE_INFINITY, "HOURS"], [2, "WEEKS"], [2, undefined], [undefined, "DAYS"]]) {
      assert.equal(grantTimeSeconds(time, unit), undefined, `${String(time)} ${String(unit)}`);
    }
  });

  it("grant times use the largest unit that divides the seconds exactly", () => {
    assert.deepEqual(grantTimeFromSeconds(86_400 * 30), { time: 30, unit: "DAYS" });
    assert.deepEqual(grantTimeFromSeconds(3600 * 36), { time: 36, unit: "HOURS" });
    assert.deepEqual(grantTimeFromSeconds(5400), { time: 90, unit: "MINUTES" });
    assert.equal(grantTimeFromSeconds(90), undefined);
    assert.equal(grantTimeFromSeconds(0), undefined);
  });

  it("refuses a lifetime that is not whole minutes, naming it as written, and takes every one that is", () => {
    assert.equal(wholeMinutesProblem(90), "must be whole minutes for PingFederate (its finest unit), got 90s");
    assert.equal(wholeMinutesProblem(86_401), "must be whole minutes for PingFederate (its finest unit), got 86401s");
    for (const seconds of [60, 5400, 7200, 86_400 * 90]) assert.equal(wholeMinutesProblem(seconds), undefined, String(seconds));
  });
});
