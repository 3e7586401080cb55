import { IDP_DEFAULT_LIFETIMES } from "../support/idps";
/**
 * Lifetimes against what the IdP will use (issue 20, class 4) and dates (class 7): the cross-field rules hold
 * against an IdP's fixed defaults; a realm or server default the plan cannot read is a warning naming the value
 * assumed; an Entra secret that has already ended is refused; and every hint, applied, passes the check that gave
 * it (property-tested with fast-check).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { planStack } from "../../engine/plan";
import { parseStackConfig } from "../../idps/registry";
import { suggestedSecretRotation } from "../../idps/entra-id/config";
import { type RawStackConfig } from "../../src/config";
import { parseUtcMonthOrDay } from "../../src/duration";
import { ConfigError } from "../../src/errors";
import { configProblems, stackConfig } from "../support/program";

const CODER = { "coder-oidc:coderUrl": "https://coder.example.com" };
const TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const NOW = Date.UTC(2026, 11, 15);

function okta(tokens: Record<string, string>, authorizationServer = "default"): Record<string, string> {
  return {
    ...CODER, "coder-oidc:idp": "okta", "coder-oidc:tokens": JSON.stringify(tokens),
    "coder-oidc:okta": JSON.stringify({ authorizationServer, assignedGroups: "everyone" }), "okta:orgName": "dev-123456",
  };
}
function auth0(tokens: Record<string, string>): Record<string, string> {
  return { ...CODER, "coder-oidc:idp": "auth0", "coder-oidc:tokens": JSON.stringify(tokens), "auth0:domain": "example.us.auth0.com" };
}
function keycloak(tokens: Record<string, string>): Record<string, string> {
  return {
    ...CODER, "coder-oidc:idp": "keycloak", "coder-oidc:tokens": JSON.stringify(tokens),
    "coder-oidc:keycloak": JSON.stringify({ realm: "main" }), "keycloak:url": "https://sso.example.com",
  };
}
function pingfederate(tokens: Record<string, string>): Record<string, string> {
  return {
    ...CODER, "coder-oidc:idp": "pingfederate", "coder-oidc:tokens": JSON.stringify(tokens),
    "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" }),
  };
}
function entra(entraId: Record<string, string>): Record<string, string> {
  return { ...CODER, "coder-oidc:idp": "entra-id", "coder-oidc:entraId": JSON.stringify({ tenantId: TENANT, ...entraId }) };
}

/** The problems of `raw` judged at `now`, as `key → messages`. */
function problemsAt(raw: RawStackConfig, now = NOW): Map<string, string[]> {
  const found = new Map<string, string[]>();
  try {
    parseStackConfig(raw, now);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    for (const p of err.problems) found.set(p.key, [...(found.get(p.key) ?? []), p.message]);
  }
  return found;
}

describe("lifetimes against the IdP's fixed defaults", () => {
  it("Okta (custom server): refreshIdleTimeout under the default 1h access token is refused, naming the default", () => {
    assert.equal(configProblems(okta({ refreshIdleTimeout: "30m" })).get("coder-oidc:tokens.refreshIdleTimeout"),
      "must be at least 1h, Okta's default access-token lifetime, which applies as tokens.accessTokenLifetime is unset " +
      `(${IDP_DEFAULT_LIFETIMES.okta!.source}), got 30m, or refreshes fail before the access token even expires; ` +
      "or set tokens.accessTokenLifetime too");
    assert.doesNotThrow(() => parseStackConfig(stackConfig(okta({ refreshIdleTimeout: "1h" }))));
    assert.doesNotThrow(() => parseStackConfig(stackConfig(okta({ accessTokenLifetime: "15m", refreshIdleTimeout: "30m" }))));
  });

  it("Okta (custom server): refreshMaxLifetime under the default 7-day refresh window is refused", () => {
    assert.match(configProblems(okta({ refreshMaxLifetime: "3d" })).get("coder-oidc:tokens.refreshMaxLifetime")!,
      /^must be at least 7d, Okta's default refresh-token idle timeout, which applies as tokens.refreshIdleTimeout is unset \(.*\), got 3d; or set tokens.refreshIdleTimeout too$/);
    assert.doesNotThrow(() => parseStackConfig(stackConfig(okta({ refreshMaxLifetime: "7d" }))));
    assert.doesNotThrow(() => parseStackConfig(stackConfig(okta({ refreshIdleTimeout: "1d", refreshMaxLifetime: "3d" }))));
  });

  it("Okta's org server: only the rule that tokens cannot be set there, no default-based one", () => {
    const p = problemsAt(stackConfig(okta({ refreshIdleTimeout: "30m" }, "org")));
    assert.equal(p.get("coder-oidc:tokens.refreshIdleTimeout")!.length, 1);
    // The one problem is the org server's refusal, which points at a custom server.
    assert.ok(p.get("coder-oidc:tokens.refreshIdleTimeout")![0].includes("coder-oidc:okta.authorizationServer: default"));
  });

  it("Auth0: refreshMaxLifetime under the 15-day idle default, and refreshIdleTimeout over the 30-day absolute default, are refused", () => {
    assert.match(configProblems(auth0({ refreshMaxLifetime: "10d" })).get("coder-oidc:tokens.refreshMaxLifetime")!,
      /^must be at least 15d, Auth0's default refresh-token idle timeout, which applies as tokens.refreshIdleTimeout is unset/);
    assert.match(configProblems(auth0({ refreshIdleTimeout: "45d" })).get("coder-oidc:tokens.refreshIdleTimeout")!,
      /^must be at most 30d, Auth0's default refresh-token max lifetime, which applies as tokens.refreshMaxLifetime is unset .*got 45d; or set tokens.refreshMaxLifetime too$/);
    for (const tokens of <Record<string, string>[]>[{ refreshMaxLifetime: "15d" }, { refreshIdleTimeout: "30d" }, { refreshIdleTimeout: "45d", refreshMaxLifetime: "60d" }]) {
      assert.doesNotThrow(() => parseStackConfig(stackConfig(auth0(tokens))), JSON.stringify(tokens));
    }
  });

  it("a value outside the IdP's range or unit gets that problem alone; at the range's edge, the default-based one too", () => {
    const okta90s = problemsAt(stackConfig(okta({ refreshIdleTimeout: "90s" })));
    assert.deepEqual(okta90s.get("coder-oidc:tokens.refreshIdleTimeout"), ["must be whole minutes for Okta (its unit), got 90s"]);
    const okta3m = problemsAt(stackConfig(okta({ refreshIdleTimeout: "3m" })));
    assert.deepEqual(okta3m.get("coder-oidc:tokens.refreshIdleTimeout"), ["must be between 5m and 1825d for Okta, got 3m"]);
    const okta5m = problemsAt(stackConfig(okta({ refreshIdleTimeout: "5m" })));
    assert.match(okta5m.get("coder-oidc:tokens.refreshIdleTimeout")!.join("\n"), /^must be at least 1h, Okta's default access-token lifetime/);
    const auth0Max = problemsAt(stackConfig(auth0({ refreshIdleTimeout: "157788000s" })));
    assert.match(auth0Max.get("coder-oidc:tokens.refreshIdleTimeout")!.join("\n"), /^must be at most 30d, Auth0's default/);
    const auth0Over = problemsAt(stackConfig(auth0({ refreshIdleTimeout: "157788001s" })));
    assert.deepEqual(auth0Over.get("coder-oidc:tokens.refreshIdleTimeout"),
      ["must be at most 157788000s (five years, Auth0's limit), got 157788001s"]);
  });

  it("a lifetime the IdP does not take is left out of the order rules (its own refusal says why)", () => {
    const p = problemsAt(stackConfig(auth0({ accessTokenLifetime: "31d", refreshIdleTimeout: "30d" })));
    assert.equal(p.get("coder-oidc:tokens.refreshIdleTimeout"), undefined);
    // Refused whatever its value: the same problem for a lifetime that would be in any range.
    assert.deepEqual(p.get("coder-oidc:tokens.accessTokenLifetime"),
      problemsAt(stackConfig(auth0({ accessTokenLifetime: "1h" }))).get("coder-oidc:tokens.accessTokenLifetime"));
    assert.equal(p.get("coder-oidc:tokens.accessTokenLifetime")?.length, 1);
  });

  it("both sides set: the rules as before, whatever the IdP", () => {
    assert.equal(configProblems(keycloak({ accessTokenLifetime: "1h", refreshIdleTimeout: "30m" })).get("coder-oidc:tokens.refreshIdleTimeout"),
      "must be at least tokens.accessTokenLifetime, or refreshes fail before the access token even expires");
    assert.equal(configProblems(keycloak({ refreshIdleTimeout: "30d", refreshMaxLifetime: "7d" })).get("coder-oidc:tokens.refreshMaxLifetime"),
      "must be at least tokens.refreshIdleTimeout");
  });
});

describe("lifetimes against a realm or server setting the plan cannot read: a warning with the value assumed", () => {
  it("Keycloak: refreshIdleTimeout under the realm's access token lifespan (offline: Keycloak's 5m)", async () => {
    const { warnings, assumptions } = await planStack("t", stackConfig(keycloak({ refreshIdleTimeout: "2m" })));
    assert.ok(warnings.includes(
      'Keycloak realm "main" has an access token lifespan of 5m (the value this plan used; offline, Keycloak\'s default), ' +
      "longer than coder-oidc:tokens.refreshIdleTimeout (2m): Coder's refresh tokens would expire unused before its access " +
      "token does; set coder-oidc:tokens.accessTokenLifetime for the client, or a longer refreshIdleTimeout."), warnings.join("\n"));
    assert.ok(assumptions.some((a) => /Keycloak realm has Keycloak's built-in client scopes and session settings/.test(a)), assumptions.join("\n"));
    for (const tokens of <Record<string, string>[]>[{ refreshIdleTimeout: "5m" }, { accessTokenLifetime: "1m", refreshIdleTimeout: "2m" }]) {
      const quiet = await planStack("t", stackConfig(keycloak(tokens)));
      assert.deepEqual(quiet.warnings.filter((w) => /access token lifespan/.test(w)), [], JSON.stringify(tokens));
    }
  });

  it("PingFederate: refreshMaxLifetime under the server's default 30-day idle timeout", async () => {
    const { warnings } = await planStack("t", stackConfig(pingfederate({ refreshMaxLifetime: "7d" })));
    assert.ok(warnings.some((w) => w.startsWith(
      "coder-oidc:tokens.refreshMaxLifetime (7d) is shorter than the idle timeout the server applies as " +
      "tokens.refreshIdleTimeout is unset: its persistentGrantIdleTimeout, 30d by PingFederate's default (the value this plan assumed")),
      warnings.join("\n"));
    for (const tokens of <Record<string, string>[]>[{ refreshMaxLifetime: "30d" }, { refreshIdleTimeout: "1d", refreshMaxLifetime: "7d" }]) {
      const quiet = await planStack("t", stackConfig(pingfederate(tokens)));
      assert.deepEqual(quiet.warnings.filter((w) => /persistentGrantIdleTimeout/.test(w)), [], JSON.stringify(tokens));
    }
  });
});

describe("dates: Entra secretRotation", () => {
  it("refuses a secretRotation whose secret has ended, as one in the future", () => {
    const p = problemsAt(stackConfig(entra({ secretRotation: "2026-01", secretLifetime: "90d" })));
    assert.deepEqual(p.get("coder-oidc:entraId.secretRotation"), [
      'names a client secret that has already ended, on 2026-04-01T00:00:00Z ("2026-01" + secretLifetime 90d): Entra would ' +
      'issue a secret that no login can use; set it to the month or day the new secret is issued, e.g. "2026-12"',
    ]);
    // The last instant: ended exactly now is ended.
    assert.ok(problemsAt(stackConfig(entra({ secretRotation: "2026-12-14", secretLifetime: "1d" }))).has("coder-oidc:entraId.secretRotation"));
    assert.ok(!problemsAt(stackConfig(entra({ secretRotation: "2026-12-14", secretLifetime: "86401s" }))).has("coder-oidc:entraId.secretRotation"));
  });

  it("suggests today when this month's secret would already have ended, and says so when no date works", () => {
    assert.equal(suggestedSecretRotation(NOW, 10 * 86400), "2026-12-15");
    assert.equal(suggestedSecretRotation(NOW + 3600_000, 3600), undefined);
    const p = problemsAt(stackConfig(entra({ secretRotation: "2099-01", secretLifetime: "1h" })), NOW + 7200_000);
    assert.match(p.get("coder-oidc:entraId.secretRotation")![0],
      /\(no date works with secretLifetime 1h: a secret issued today would already have ended; lengthen secretLifetime, e\.g\. 180d\)$/);
  });

  it("a month whose secret ends exactly now is not suggested: today is", () => {
    assert.equal(suggestedSecretRotation(NOW, 14 * 86400), "2026-12-15");
    assert.equal(suggestedSecretRotation(NOW, 14 * 86400 + 1), "2026-12");
  });

  it("a suggested rotation is later than the one it replaces (the previousSecretRotation rule)", () => {
    assert.equal(suggestedSecretRotation(NOW, 180 * 86400, parseUtcMonthOrDay("2026-12")), "2026-12-15");
    assert.equal(suggestedSecretRotation(NOW, 180 * 86400, parseUtcMonthOrDay("2026-12-15")), undefined);
  });
});

/** The value a problem's message tells the user to write for its own key, if any. */
function hintedValue(message: string): string | undefined {
  return /, e\.g\. "([^"]+)"$/.exec(message)?.[1] ?? /^must be (?:at least|at most) (\d+[smhd]),/.exec(message)?.[1];
}

describe("a hint, applied, passes the check that gave it (property)", () => {
  const durations = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom("m", "h", "d")).map(([n, u]) => `${n}${u}`);
  const tokens = fc.record({
    accessTokenLifetime: fc.option(durations, { nil: undefined }),
    refreshIdleTimeout: fc.option(durations, { nil: undefined }),
    refreshMaxLifetime: fc.option(durations, { nil: undefined }),
  }).map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Record<string, string>);

  it("tokens on Okta and Auth0: writing the bound a message names clears that key's default-based problem", () => {
    fc.assert(fc.property(fc.constantFrom(okta, auth0), tokens, (stack, t) => {
      const p = problemsAt(stackConfig(stack(t)));
      for (const [key, messages] of p) {
        const field = key.replace("coder-oidc:tokens.", "");
        for (const message of messages.filter((m) => /, which applies as tokens\.\w+ is unset/.test(m))) {
          const value = hintedValue(message);
          assert.ok(value, message);
          const again = problemsAt(stackConfig(stack({ ...t, [field]: value })));
          assert.deepEqual((again.get(key) ?? []).filter((m) => /which applies as|must be at least tokens|must be between|whole minutes/.test(m)), [],
            `${JSON.stringify(t)}: ${message} → ${value}: ${JSON.stringify([...again])}`);
        }
      }
    }), { numRuns: 300 });
  });

  it("Entra secretRotation: the value suggested for a future, ended or malformed date passes at the same moment", () => {
    const months = fc.tuple(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${String(m).padStart(2, "0")}`);
    const nows = fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2099, 11, 31) });
    const lifetimes = fc.tuple(fc.integer({ min: 1, max: 730 }), fc.constantFrom("h", "d")).map(([n, u]) => `${n}${u}`);
    fc.assert(fc.property(months, nows, lifetimes, (rotation, now, secretLifetime) => {
      const p = problemsAt(stackConfig(entra({ secretRotation: rotation, secretLifetime })), now);
      for (const message of p.get("coder-oidc:entraId.secretRotation") ?? []) {
        const value = hintedValue(message);
        if (value === undefined) {
          assert.match(message, /no date works with secretLifetime/);
          continue;
        }
        const again = problemsAt(stackConfig(entra({ secretRotation: value, secretLifetime })), now);
        assert.equal(again.get("coder-oidc:entraId.secretRotation"), undefined, `${rotation} at ${new Date(now).toISOString()}: ${message}`);
      }
    }), { numRuns: 500 });
  });
});
