/**
 * Coded errors as a host prints them: Pulumi's dynamic-provider host writes `${err}: ${err.stack}` for every error a
 * provider method throws (the real engine showed it), so a coded error carries no stack frames, only its code.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoderOidcError, ConfigError, PfApiError } from "../../src/errors";

describe("coded errors", () => {
  it("print as their message and code, with no stack frames, the way the dynamic-provider host prints them", () => {
    const errors = [
      new PfApiError({ method: "GET", path: "/oauth/clients/coder", status: 401, apiMessage: "Unauthorized", validationErrors: [] }),
      new ConfigError([{ key: "coder-oidc:idp", message: "is required" }]),
      new CoderOidcError("plain"),
    ];
    for (const err of errors) {
      const printed = `${String(err)}: ${err.stack}`;
      assert.doesNotMatch(printed, /\n\s+at /, printed);
      assert.ok(printed.endsWith(`(${(err.constructor as unknown as { code: string }).code})`), printed);
      assert.ok(printed.includes(err.message));
    }
  });
});
