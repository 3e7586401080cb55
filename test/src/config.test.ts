import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigError } from "../../src/errors";
import { parseStackConfig, type StackConfig } from "../../idps/registry";
import { configProblems, stackConfig } from "../support/program";

const KEYCLOAK_BASE = {
  "coder-oidc:coderUrl": "https://coder.example.com",
  "coder-oidc:idp": "keycloak",
  "coder-oidc:keycloak": JSON.stringify({ realm: "main" }),
  "keycloak:url": "https://sso.example.com",
};

function parse(values: Record<string, string>, secretKeys: string[] = []): StackConfig {
  return parseStackConfig(stackConfig(values, secretKeys));
}

function tokens(t: Record<string, string>): string {
  return JSON.stringify(t);
}

describe("stack config: common keys", () => {
  it("applies the documented defaults", () => {
    const config = parse(KEYCLOAK_BASE);
    assert.equal(config.clientId, "coder");
    assert.equal(config.displayName, "Coder");
    assert.deepEqual(config.extraScopes, []);
    assert.deepEqual(config.tokens, {});
  });

  it("requires coderUrl and idp, naming each key", () => {
    const p = configProblems({});
    assert.equal(p.get("coder-oidc:coderUrl"), "is required");
    assert.equal(p.get("coder-oidc:idp"), "is required");
  });

  it("drops the trailing slash of coderUrl", () => {
    assert.equal(parse({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "https://coder.example.com//" }).coderUrl, "https://coder.example.com");
  });

  it("requires https for coderUrl except on localhost and 127.0.0.1", () => {
    assert.match(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "http://coder.example.com" }).get("coder-oidc:coderUrl")!, /must use https/);
    assert.equal(parse({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "http://localhost:3000" }).coderUrl, "http://localhost:3000");
    assert.equal(parse({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "http://127.0.0.1:3000" }).coderUrl, "http://127.0.0.1:3000");
  });

  it("rejects a coderUrl that is not an absolute URL, or has a query or credentials", () => {
    assert.match(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "coder.example.com" }).get("coder-oidc:coderUrl")!, /absolute URL/);
    assert.match(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "https://coder.example.com/?a=1" }).get("coder-oidc:coderUrl")!, /query or fragment/);
    assert.match(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:coderUrl": "https://u:p@coder.example.com" }).get("coder-oidc:coderUrl")!, /credentials/);
  });

  it("lists the valid values of an unknown idp", () => {
    assert.equal(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:idp": "onelogin" }).get("coder-oidc:idp"),
      "must be one of keycloak, entra-id, google, pingfederate, okta, auth0");
  });

  it("requires the settings object of the chosen idp", () => {
    for (const [idp, key] of [["keycloak", "keycloak"], ["entra-id", "entraId"], ["google", "google"], ["pingfederate", "pingfederate"], ["okta", "okta"]]) {
      const p = configProblems({ "coder-oidc:coderUrl": "https://c.example.com", "coder-oidc:idp": idp, "keycloak:url": "https://k.example.com" });
      assert.ok(p.get(`coder-oidc:${key}`)?.includes(idp), idp);
    }
  });

  it("reports unknown keys, top-level and nested, so typos are not ignored", () => {
    const p = configProblems({ ...KEYCLOAK_BASE, "coder-oidc:extraScope": "[]", "coder-oidc:tokens": tokens({ refreshIdelTimeout: "1d" }) });
    assert.equal(p.get("coder-oidc:extraScope"), 'is not a known setting (check the spelling) (did you mean "extraScopes"?)');
    assert.equal(p.get("coder-oidc:tokens.refreshIdelTimeout"), 'is not a known setting (check the spelling) (did you mean "refreshIdleTimeout"?)');
  });

  it("rejects an extra scope that is not an OAuth scope token, naming its index", () => {
    const p = configProblems({ ...KEYCLOAK_BASE, "coder-oidc:extraScopes": JSON.stringify(["groups", "two words", 'q"uote']) });
    assert.match(p.get("coder-oidc:extraScopes[1]")!, /must be an OAuth scope/);
    assert.match(p.get("coder-oidc:extraScopes[2]")!, /must be an OAuth scope/);
    assert.equal(p.has("coder-oidc:extraScopes[0]"), false);
  });

  it("rejects a top-level clientId where the IdP chooses the client id", () => {
    const entra = configProblems({
      "coder-oidc:coderUrl": "https://c.example.com", "coder-oidc:idp": "entra-id", "coder-oidc:clientId": "coder",
      "coder-oidc:entraId": JSON.stringify({ tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", secretRotation: "2026-01" }),
    });
    assert.ok(entra.has("coder-oidc:clientId"));
    const google = configProblems({
      "coder-oidc:coderUrl": "https://c.example.com", "coder-oidc:idp": "google", "coder-oidc:clientId": "coder",
      "coder-oidc:google": JSON.stringify({ clientId: "1.apps.googleusercontent.com", clientSecret: "s" }),
    }, ["coder-oidc:google"]);
    // It points at where Google's client id goes instead.
    assert.ok(google.get("coder-oidc:clientId")?.includes("coder-oidc:google.clientId"));
    assert.equal(google.size, 1);
  });

  it("rejects empty clientId and displayName", () => {
    const p = configProblems({ ...KEYCLOAK_BASE, "coder-oidc:clientId": " ", "coder-oidc:displayName": "" });
    assert.match(p.get("coder-oidc:clientId")!, /must not be empty/);
    assert.match(p.get("coder-oidc:displayName")!, /must not be empty/);
  });

  it("reports every problem at once, across keys and namespaces", () => {
    const p = configProblems({
      "coder-oidc:coderUrl": "ftp://x",
      "coder-oidc:idp": "keycloak",
      "coder-oidc:keycloak": JSON.stringify({ realm: "" }),
      "coder-oidc:tokens": tokens({ accessTokenLifetime: "5 minutes" }),
    });
    assert.deepEqual([...p.keys()].sort(), [
      "coder-oidc:coderUrl", "coder-oidc:keycloak.realm", "coder-oidc:tokens.accessTokenLifetime", "keycloak:url",
    ]);
  });

  it("requires https for the PingFederate admin API, even on localhost", () => {
    const p = configProblems({
      "coder-oidc:coderUrl": "https://c.example.com",
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "http://localhost:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" }),
    });
    assert.equal(p.get("coder-oidc:pingfederate.adminUrl"),
      'must use https (the admin credentials travel over it), got "http://localhost:9999/pf-admin-api/v1"');
  });

  it("explains a structured value that is not valid JSON, with the parser's reason", () => {
    const p = configProblems({ ...KEYCLOAK_BASE, "coder-oidc:keycloak": '{"realm": "main"' });
    assert.match(p.get("coder-oidc:keycloak")!, /^is not a valid map or list \(set it with --path, or fix the stack file\): /);
    assert.equal(p.size, 1);
  });

  it("checks the rest of an IdP section when one of its fields is invalid", () => {
    const p = configProblems({
      "coder-oidc:coderUrl": "https://c.example.com",
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:pingfederate": JSON.stringify({
        adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com",
        replicate: "sometimes", password: "plain",
      }),
      "coder-oidc:tokens": JSON.stringify({ accessTokenLifetime: "1h", refreshIdleTimeout: "30m", refreshMaxLifetime: "soon" }),
    });
    assert.equal(p.get("coder-oidc:pingfederate.replicate"), "must be auto or never");
    assert.ok(p.get("coder-oidc:pingfederate.password")?.includes("pulumi config set --secret --path 'pingfederate.password'"));
    assert.ok(p.has("coder-oidc:pingfederate.username"));
    assert.match(p.get("coder-oidc:tokens.refreshMaxLifetime")!, /is not a duration/);
    assert.match(p.get("coder-oidc:tokens.refreshIdleTimeout")!, /must be at least tokens.accessTokenLifetime/);
  });

  it("prints the problems without a stack trace, one key per line", () => {
    try {
      parse({ ...KEYCLOAK_BASE, "coder-oidc:idp": "nope" });
      assert.fail("expected a ConfigError");
    } catch (err) {
      const e = err as ConfigError & { __pulumiRunError: boolean };
      assert.equal(e.message, "Invalid stack configuration:\n  - coder-oidc:idp: must be one of keycloak, entra-id, google, pingfederate, okta, auth0");
      // Pulumi prints a RunError's message alone, without the stack.
      assert.equal(e.__pulumiRunError, true);
    }
  });
});

describe("stack config: tokens", () => {
  it("parses durations in s, m, h and d into seconds", () => {
    const config = parse({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ accessTokenLifetime: "90s", refreshIdleTimeout: "15m", refreshMaxLifetime: "30d" }) });
    assert.deepEqual(config.tokens, { accessTokenLifetime: 90, refreshIdleTimeout: 900, refreshMaxLifetime: 2592000 });
  });

  it("rejects durations that are not a number and a unit", () => {
    for (const bad of ["1w", "1.5h", "h", "-5m", "10"]) {
      const message = configProblems({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ refreshIdleTimeout: bad }) }).get("coder-oidc:tokens.refreshIdleTimeout");
      assert.equal(message, `"${bad}" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d`, bad);
    }
  });

  it("rejects zero durations", () => {
    assert.equal(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ accessTokenLifetime: "0s" }) }).get("coder-oidc:tokens.accessTokenLifetime"),
      'must be positive, got "0s"');
  });

  it("requires refreshIdleTimeout ≥ accessTokenLifetime", () => {
    assert.match(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ accessTokenLifetime: "1h", refreshIdleTimeout: "30m" }) })
      .get("coder-oidc:tokens.refreshIdleTimeout")!, /must be at least tokens.accessTokenLifetime/);
    assert.deepEqual(parse({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ accessTokenLifetime: "1h", refreshIdleTimeout: "60m" }) }).tokens,
      { accessTokenLifetime: 3600, refreshIdleTimeout: 3600 });
  });

  it("requires refreshMaxLifetime ≥ refreshIdleTimeout", () => {
    assert.equal(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ refreshIdleTimeout: "30d", refreshMaxLifetime: "7d" }) })
      .get("coder-oidc:tokens.refreshMaxLifetime"), "must be at least tokens.refreshIdleTimeout");
  });
});

describe("stack config: keycloak", () => {
  it("requires keycloak:url and checks it like any IdP URL", () => {
    const values: Record<string, string> = { ...KEYCLOAK_BASE };
    delete values["keycloak:url"];
    assert.match(configProblems(values).get("keycloak:url")!, /is required/);
    assert.match(configProblems({ ...KEYCLOAK_BASE, "keycloak:url": "http://sso.example.com" }).get("keycloak:url")!, /must use https/);
  });

  it("requires a realm and accepts an issuerUrl override", () => {
    assert.equal(configProblems({ ...KEYCLOAK_BASE, "coder-oidc:keycloak": "{}" }).get("coder-oidc:keycloak.realm"), "is required");
    const config = parse({ ...KEYCLOAK_BASE, "coder-oidc:keycloak": JSON.stringify({ realm: "main", issuerUrl: "https://login.example.com/realms/main" }) });
    assert.equal(config.keycloak?.issuerUrl, "https://login.example.com/realms/main");
  });

  it("keeps provider keys for the explicit provider, by namespace, with which were set with --secret", () => {
    const config = parse({ ...KEYCLOAK_BASE, "keycloak:basePath": "/auth", "keycloak:username": "admin", "azuread:tenantId": "t" }, ["keycloak:username"]);
    assert.deepEqual(config.providers.keycloak.values, { url: "https://sso.example.com", basePath: "/auth", username: "admin" });
    assert.deepEqual([...config.providers.keycloak.secretKeys], ["username"]);
    assert.deepEqual(config.providers.azuread.values, { tenantId: "t" });
  });

  it("checks the chosen IdP's provider keys: known names, booleans, numbers and maps", () => {
    const p = configProblems({
      ...KEYCLOAK_BASE,
      "keycloak:clientSecrte": "x",
      "keycloak:tlsInsecureSkipVerify": "yes",
      "keycloak:clientTimeout": "abc",
      "keycloak:additionalHeaders": "{not json",
    });
    assert.equal(p.get("keycloak:clientSecrte"), 'is not a setting of the keycloak provider (check the spelling) (did you mean "clientSecret"?)');
    assert.equal(p.get("keycloak:tlsInsecureSkipVerify"), 'must be true or false, got "yes"');
    assert.equal(p.get("keycloak:clientTimeout"), 'must be a whole number, got "abc"');
    assert.match(p.get("keycloak:additionalHeaders")!, /^must be a map or list \(set it with --path\): /);
    // Another IdP's namespace is not this stack's business.
    assert.doesNotThrow(() => parse({ ...KEYCLOAK_BASE, "azuread:bogus": "1" }));
  });

  it("accepts every token lifetime with keycloak", () => {
    const config = parse({ ...KEYCLOAK_BASE, "coder-oidc:tokens": tokens({ accessTokenLifetime: "5m", refreshIdleTimeout: "30d", refreshMaxLifetime: "60d" }) });
    assert.equal(config.tokens.refreshMaxLifetime, 60 * 86400);
  });
});

describe("stack config: refreshTokenRotation", () => {
  const entra = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "entra-id",
    "coder-oidc:entraId": JSON.stringify({ tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", secretRotation: "2026-11" }),
  };
  const google = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "google",
    "coder-oidc:google": JSON.stringify({ clientId: "1-x.apps.googleusercontent.com", clientSecret: "s" }),
  };
  const pingfederate = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "pingfederate",
    "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" }),
  };
  const on = { "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "30s" };

  it("is off by default, with no reuse window", () => {
    const config = parse(KEYCLOAK_BASE);
    assert.equal(config.refreshTokenRotation, "off");
    assert.equal(config.refreshTokenReuseWindow, undefined);
  });

  it("refuses on for IdPs that never revoke a used refresh token, saying why", () => {
    assert.equal(configProblems({ ...entra, ...on }).get("coder-oidc:refreshTokenRotation"),
      "cannot be on with Microsoft Entra ID: Entra ID cannot be told to rotate: it hands out a new refresh token on each " +
      "refresh and does not revoke the one used, so there is nothing to switch on");
    assert.equal(configProblems({ ...google, ...on }, ["coder-oidc:google"]).get("coder-oidc:refreshTokenRotation"),
      "cannot be on with Google: Google does not rotate refresh tokens: the one issued at consent is used until it is revoked or expires");
  });

  it("takes PingFederate's grace period in whole seconds, from 1s", () => {
    const config = parse({ ...pingfederate, "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "2m" });
    assert.deepEqual([config.refreshTokenRotation, config.refreshTokenReuseWindow], ["on", 120]);
    assert.equal(configProblems({ ...pingfederate, "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "0s" })
      .get("coder-oidc:refreshTokenReuseWindow"), 'must be positive, got "0s"');
  });
});
