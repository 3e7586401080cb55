/**
 * The pure parts of the e2e's tools and helpers: what a build module copies from a go.mod, the encodings a
 * leak check looks for, and Coder's parsing of its scope and param settings.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leakedSecrets, secretForms } from "../../e2e/support/leaks";
import { remoteReplaces } from "../../e2e/tools";

describe("remoteReplaces", () => {
  it("copies the replace directives that point at another module, in a block or alone, and skips local paths", () => {
    const goMod = [
      "module github.com/pulumi/pulumi/pkg/v3",
      "",
      "replace github.com/pulumi/pulumi/sdk/v3 => ../sdk",
      "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
      "replace (",
      "\ttailscale.com => github.com/coder/tailscale v1.1.1-0.20250829055706-6eafe0f9199e // a fork",
      "\tgithub.com/x/y v1.2.3 => github.com/z/y v1.2.4",
      "\tgithub.com/local/thing => ./thing",
      ")",
      "require github.com/a/b v1.0.0",
    ].join("\n");
    assert.deepEqual(remoteReplaces(goMod), [
      { from: "github.com/atotto/clipboard", to: "github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e" },
      { from: "tailscale.com", to: "github.com/coder/tailscale@v1.1.1-0.20250829055706-6eafe0f9199e" },
      { from: "github.com/x/y", to: "github.com/z/y@v1.2.4" },
    ]);
  });
});

describe("leakedSecrets", () => {
  const secret = "pa$$ word/+=é";
  it("finds a secret in plaintext, base64 (padded, unpadded, url-safe), hex, URL- and JSON-escaped forms", () => {
    for (const form of secretForms(secret)) {
      assert.deepEqual(leakedSecrets(`state: {"x": "${form}"}`, { secret }), ["secret"], `form ${form}`);
    }
    assert.ok(secretForms(secret).includes(Buffer.from(secret).toString("base64url")));
    assert.ok(secretForms(secret).includes(encodeURIComponent(secret)));
  });
  it("finds nothing when only other text is there", () => {
    assert.deepEqual(leakedSecrets("ciphertext v1:abcdef", { secret }), []);
  });
});
