/** The admin API credentials: where they come from, in which order, what is missing, and the secrets they hold. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { ConfigError } from "../../../src/errors";
import {
  credentialFieldsFromConfig, credentialSecrets, forgetConfiguredCredentials, rememberConfiguredCredentials, resolveAdminCredentials,
} from "../../../idps/pingfederate/credentials";

describe("admin credentials", () => {
  const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;
  const problemsOf = (f: () => unknown): string[] => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return [err.message.split("\n")[0], ...err.problems.map((p) => `${p.key}: ${p.message}`)];
    }
    assert.fail("expected a ConfigError");
  };
  afterEach(() => forgetConfiguredCredentials());

  it("reads the credential fields of the stack's pingfederate section, and nothing that is not a non-empty string", () => {
    assert.deepEqual(credentialFieldsFromConfig('{"username":"admin","password":"pw","adminUrl":"https://x"}'),
      { username: "admin", password: "pw", token: undefined });
    assert.deepEqual(credentialFieldsFromConfig('{"token":"t","username":"","password":7}'), { username: undefined, password: undefined, token: "t" });
    for (const text of [undefined, "", "{", "null", "42"]) assert.equal(credentialFieldsFromConfig(text), undefined, String(text));
  });

  it("takes the stack's credentials first, then the environment's", () => {
    const fromEnv = env({ PINGFEDERATE_ADMIN_USERNAME: "env-admin", PINGFEDERATE_ADMIN_PASSWORD: "env-pw" });
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "basic", username: "env-admin", password: "env-pw" });
    assert.deepEqual(resolveAdminCredentials(env({ PINGFEDERATE_ADMIN_TOKEN: "env-token" })), { kind: "bearer", token: "env-token" });
    rememberConfiguredCredentials({ username: "admin", password: "pw" });
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "basic", username: "admin", password: "pw" });
    rememberConfiguredCredentials({ token: "stack-token" });
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "bearer", token: "stack-token" });
    rememberConfiguredCredentials({});
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "basic", username: "env-admin", password: "env-pw" });
  });

  it("names the incomplete or doubled key, in the stack or the environment", () => {
    rememberConfiguredCredentials({ password: "pw" });
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))),
      ["Incomplete PingFederate admin credentials:", "coder-oidc:pingfederate.username: is required when coder-oidc:pingfederate.password is set"]);
    rememberConfiguredCredentials({ username: "admin" });
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))),
      ["Incomplete PingFederate admin credentials:", "coder-oidc:pingfederate.password: is required when coder-oidc:pingfederate.username is set"]);
    rememberConfiguredCredentials({ token: "t", username: "admin" });
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))), ["Incomplete PingFederate admin credentials:",
      "coder-oidc:pingfederate.token: is set together with coder-oidc:pingfederate.username/coder-oidc:pingfederate.password: choose one way to log in"]);
    forgetConfiguredCredentials();
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({ PINGFEDERATE_ADMIN_TOKEN: "t", PINGFEDERATE_ADMIN_PASSWORD: "pw" }))),
      ["Incomplete PingFederate admin credentials:",
        "PINGFEDERATE_ADMIN_TOKEN: is set together with PINGFEDERATE_ADMIN_USERNAME/PINGFEDERATE_ADMIN_PASSWORD: choose one way to log in"]);
  });

  it("says both ways to give credentials when there are none", () => {
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))), ["PingFederate admin credentials are missing:",
      "coder-oidc:pingfederate: no admin API credentials. Either set PINGFEDERATE_ADMIN_USERNAME and PINGFEDERATE_ADMIN_PASSWORD " +
      "(basic auth) or PINGFEDERATE_ADMIN_TOKEN (bearer token) in the environment of pulumi, or store them in the stack: " +
      "pulumi config set --secret --path 'pingfederate.username' <user> and pulumi config set --secret --path " +
      "'pingfederate.password' <password> (or 'pingfederate.token' <token>)"]);
  });

  it("keeps user:password among the secrets of basic credentials, as Basic authentication sends it", () => {
    assert.deepEqual(credentialSecrets({ kind: "basic", username: "admin", password: "pw" }), ["pw", "admin:pw"]);
    assert.deepEqual(credentialSecrets({ kind: "bearer", token: "t0k" }), ["t0k"]);
  });
});
