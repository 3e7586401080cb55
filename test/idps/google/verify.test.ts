/**
 * `verify` for Google (idps/google/verify.ts): no API reads a Google OAuth client, so the client id's form is the one
 * check, word for word; nothing is checked without a client id.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { googleFindings } from "../../../idps/google/verify";
import type { CoderSettings } from "../../../src/verify/core";

const context = (clientId: string | undefined) => ({
  settings: { CODER_OIDC_ISSUER_URL: "https://accounts.google.com", CODER_OIDC_CLIENT_ID: clientId } as CoderSettings,
  config: {}, now: 0, projectDir: process.cwd(),
});

describe("verify for Google", () => {
  it("a Google OAuth client id passes", async () => {
    assert.deepEqual(await googleFindings(context("123456789012-abc123def456ghi789.apps.googleusercontent.com")), [
      { check: "google.clientId", status: "ok", message: "CODER_OIDC_CLIENT_ID is a Google OAuth client id" },
    ]);
  });

  it("anything else, even with a Google client id inside it, is a problem saying where to copy it from", async () => {
    for (const clientId of ["coder", "x123-abc.apps.googleusercontent.com", "123-abc.apps.googleusercontent.com.example.com",
      "123-ABC.apps.googleusercontent.com", "-abc.apps.googleusercontent.com"]) {
      assert.deepEqual(await googleFindings(context(clientId)), [{
        check: "google.clientId", status: "problem",
        message: `CODER_OIDC_CLIENT_ID ${clientId} is not a Google OAuth client id (<number>-<id>.apps.googleusercontent.com): copy it from the "Web application" client (coder-oidc:google.clientId)`,
      }], clientId);
    }
  });

  it("no client id: nothing to check", async () => {
    assert.deepEqual(await googleFindings(context(undefined)), []);
    assert.deepEqual(await googleFindings(context("")), []);
  });
});
