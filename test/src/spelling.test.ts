import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { didYouMean, editDistance, nearestName } from "../../src/spelling";

describe("spelling suggestions", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps as one edit each", () => {
    assert.equal(editDistance("idp", "idp"), 0);
    assert.equal(editDistance("ip", "idp"), 1);
    assert.equal(editDistance("iddp", "idp"), 1);
    assert.equal(editDistance("ixp", "idp"), 1);
    assert.equal(editDistance("coder-odic", "coder-oidc"), 1);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("abc", ""), 3);
    assert.equal(editDistance("kitten", "sitting"), 3);
  });

  it("is a distance: zero only for equal words, symmetric, at most the longer length", () => {
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
      const d = editDistance(a, b);
      assert.equal(d === 0, a === b);
      assert.equal(d, editDistance(b, a));
      assert.ok(d <= Math.max(a.length, b.length));
      assert.ok(d >= Math.abs(a.length - b.length));
    }));
  });

  it("suggests the closest name, ignoring case, when it is a likely typo", () => {
    assert.equal(nearestName("confg", ["config", "environment"]), "config");
    assert.equal(nearestName("DisplayName", ["displayName", "clientId"]), "displayName");
    assert.equal(nearestName("keycloack", ["keycloak", "azuread", "gcp"]), "keycloak");
    assert.equal(nearestName("refreshIdel", ["refreshIdle", "refreshIdleTimeout"]), "refreshIdle");
  });

  it("suggests nothing for a word that is not close to any name", () => {
    assert.equal(nearestName("aws", ["keycloak", "azuread", "gcp", "coder-oidc", "pulumi"]), undefined);
    assert.equal(nearestName("x".repeat(65), ["x".repeat(64)]), undefined, "long input is never a typo");
    assert.equal(nearestName("ab", ["xy"]), undefined);
  });

  it("short names allow one edit, longer ones up to a third of their length, at most 3", () => {
    assert.equal(nearestName("gc", ["gcp"]), "gcp");
    assert.equal(nearestName("g", ["gcp"]), undefined);
    assert.equal(nearestName("secretManger", ["secretManager"]), "secretManager");
    assert.equal(nearestName("sxcxetManaxer", ["secretManager"]), "secretManager");
    assert.equal(nearestName("sxcxetMxnaxer", ["secretManager"]), undefined);
  });

  it("of several close names, suggests the closest, whatever their order", () => {
    assert.equal(nearestName("abcdef", ["abxyef", "abcdex"]), "abcdex");
    assert.equal(nearestName("abcdef", ["abcdex", "abxyef"]), "abcdex");
  });

  it("of names equally close, suggests the first", () => {
    assert.equal(nearestName("realn", ["realm", "reals"]), "realm");
    assert.equal(nearestName("realn", ["reals", "realm"]), "reals");
  });

  it("still suggests for a 64-character word", () => {
    assert.equal(nearestName("x".repeat(63) + "y", ["x".repeat(64)]), "x".repeat(64));
  });

  it("writes the suggestion for a message, or nothing", () => {
    assert.equal(didYouMean("confg", ["config"]), ' (did you mean "config"?)');
    assert.equal(didYouMean("zzz", ["config"]), "");
  });
});
