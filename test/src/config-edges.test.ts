/**
 * The config contract's own tests for issue 20's rules that other test files exercise through the plan or a
 * provider (so mutation testing of src/config.ts, which counts only its own tests, sees them): secure values
 * left to the engine, coderUrl set with --secret, Okta's assignedGroups, and the edges of the issuer forms.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../idps/registry";
import type { z } from "zod";
import { duration, httpsUrl } from "../../src/config-fields";
import { valueAt } from "../../src/config-keys";
import { ConfigError } from "../../src/errors";
import { oktaLifetimeInRange } from "../../idps/okta/config";
import { OFFLINE_SECRET_PLACEHOLDER as SECURE } from "../../src/provider-config";
import { configProblems, stackConfig } from "../support/program";

const CODER = { "coder-oidc:coderUrl": "https://coder.example.com" };
const TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const ok = (values: Record<string, string>, secretKeys: string[] = []) => parseStackConfig(stackConfig(values, secretKeys));

const keycloak = (url: string, section: Record<string, unknown> = { realm: "main" }) =>
  ({ ...CODER, "coder-oidc:idp": "keycloak", "coder-oidc:keycloak": JSON.stringify(section), "keycloak:url": url });
const okta = (extra: Record<string, string>, section: Record<string, unknown> = { assignedGroups: "everyone" }) =>
  ({ ...CODER, "coder-oidc:idp": "okta", "coder-oidc:okta": JSON.stringify(section), ...extra });
const auth0 = (domain: string, section: Record<string, unknown> = {}) =>
  ({ ...CODER, "coder-oidc:idp": "auth0", "coder-oidc:auth0": JSON.stringify(section), "auth0:domain": domain });
const entra = (section: Record<string, unknown>, extra: Record<string, string> = {}) =>
  ({ ...CODER, "coder-oidc:idp": "entra-id", "coder-oidc:entraId": JSON.stringify({ secretRotation: new Date().toISOString().slice(0, 7), ...section }), ...extra });

const CODER_AUTH0 = auth0("example.us.auth0.com");

describe("secure: values read offline are left to the engine's checks", () => {
  it("keycloak:url, okta:orgName, okta:baseUrl, auth0:domain, auth0.customDomain, keycloak.issuerUrl", () => {
    assert.doesNotThrow(() => ok(keycloak(SECURE), ["keycloak:url"]));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": SECURE }), ["okta:orgName"]));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1", "okta:baseUrl": SECURE }), ["okta:baseUrl"]));
    assert.doesNotThrow(() => ok(auth0(SECURE), ["auth0:domain"]));
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: SECURE }), ["coder-oidc:auth0"]));
    assert.doesNotThrow(() => ok(keycloak("https://sso.example.com", { realm: "main", issuerUrl: SECURE }), ["coder-oidc:keycloak"]));
  });

  it("an Entra tenant: not checked as a GUID, nor compared with the other tenant key, when secret", () => {
    assert.doesNotThrow(() => ok(entra({}, { "azuread:tenantId": SECURE }), ["azuread:tenantId"]));
    assert.doesNotThrow(() => ok(entra({ tenantId: SECURE }, { "azuread:tenantId": TENANT }), ["coder-oidc:entraId"]));
    assert.doesNotThrow(() => ok(entra({ tenantId: TENANT }, { "azuread:tenantId": SECURE }), ["azuread:tenantId"]));
  });

  it("okta:baseUrl may be left out", () => {
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1" })));
  });
});

describe("coderUrl set with --secret", () => {
  it("is refused with why and the command to use, also under the engine (a real value)", () => {
    assert.ok(configProblems(CODER_AUTH0, ["coder-oidc:coderUrl"]).get("coder-oidc:coderUrl")?.includes("pulumi config set coder-oidc:coderUrl <url>"));
    assert.doesNotThrow(() => ok(CODER_AUTH0));
  });
});
describe("Okta assignedGroups", () => {
  const problem = (assignedGroups: unknown) =>
    configProblems(okta({ "okta:orgName": "dev-1" }, { assignedGroups })).get("coder-oidc:okta.assignedGroups");
  it("refuses everyone among group ids, naming the ids, and a list of only everyone", () => {
    assert.ok(problem(["00gA", " EveryOne ", "00gB"])?.includes("(00gA, 00gB)"));
    assert.ok(problem(["everyone", "EVERYONE"])?.includes("write coder-oidc:okta.assignedGroups: everyone"));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1" }, { assignedGroups: ["00gA", "00gB"] })));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1" }, { assignedGroups: ["everyone-team"] })));
  });
});

describe("issuer forms: edges", () => {
  it("an issuer ending in several slashes is refused with the form without any", () => {
    assert.match(configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/realms/main//" }))
      .get("coder-oidc:keycloak.issuerUrl")!, /^must be written as Keycloak publishes it, "https:\/\/kc\.example\.com\/realms\/main" /);
  });

  it("a Keycloak issuer with more path after the realm does not end in /realms/<realm>", () => {
    assert.match(configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/realms/main/x" }))
      .get("coder-oidc:keycloak.issuerUrl")!, /^must end in \/realms\/<realm>/);
  });

  it("messages name what each URL is", () => {
    assert.ok(configProblems(keycloak("nope")).get("keycloak:url")?.includes("(Keycloak base URL)"));
    const pf = { ...CODER, "coder-oidc:idp": "pingfederate",
      "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "nope" }) };
    assert.ok(configProblems(pf).get("coder-oidc:pingfederate.issuerUrl")?.includes("(PingFederate runtime base URL)"));
  });

  it("a custom domain that only contains auth0.com is a custom domain", () => {
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: "auth0.com.example.org" })));
  });

  it("an uppercase non-GUID tenant gets the GUID problem alone", () => {
    const p = configProblems(entra({ tenantId: "NOT-A-GUID" }));
    assert.match(p.get("coder-oidc:entraId.tenantId")!, /^must be the directory \(tenant\) id, a GUID/);
  });

  it("national clouds: the messages say what to do", () => {
    const environment = configProblems(entra({ tenantId: TENANT }, { "azuread:environment": "usgovernment" })).get("azuread:environment");
    for (const what of ['"usgovernment"', "CODER_OIDC_ISSUER_URL"]) assert.ok(environment?.includes(what), what);
    assert.ok(configProblems(entra({ tenantId: TENANT }, { "azuread:metadataHost": "x.example" })).get("azuread:metadataHost")
      ?.includes("https://login.microsoftonline.com/<tenant>/v2.0"));
  });
});

/** Every problem the contract finds, in order, as `key: message` (a key→message map would hide a second one at a key). */
function problemList(values: Record<string, string>, secretKeys: readonly string[] = []): string[] {
  try {
    parseStackConfig(stackConfig(values, secretKeys));
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => `${p.key}: ${p.message}`);
  }
  assert.fail("expected the config to be rejected");
}

const pingfederate = (section: Record<string, unknown>, extra: Record<string, string> = {}) => ({
  ...CODER, "coder-oidc:idp": "pingfederate", ...extra,
  "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com", ...section }),
});
const google = (secretManager: unknown) => ({
  ...CODER, "coder-oidc:idp": "google",
  "coder-oidc:google": JSON.stringify({ clientId: "1-abc.apps.googleusercontent.com", clientSecret: "s", secretManager }),
});
const oktaCustom = (extra: Record<string, string>) => okta({ "okta:orgName": "dev-1", ...extra }, { assignedGroups: "everyone", authorizationServer: "default" });

describe("URL forms: the scheme and the trailing slashes", () => {
  it("http is allowed only for localhost, and no other scheme is, even for localhost", () => {
    for (const url of ["ftp://localhost", "ws://127.0.0.1"]) {
      assert.match(configProblems({ ...keycloak("https://sso.example.com"), "coder-oidc:coderUrl": url }).get("coder-oidc:coderUrl")!,
        /^must use https \(http is allowed only for localhost or 127\.0\.0\.1\)/, url);
    }
  });

  it("a base URL's trailing slashes, one or several, are dropped, not refused", () => {
    for (const url of ["https://sso.example.com/", "https://sso.example.com//"]) {
      assert.doesNotThrow(() => ok(keycloak(url)), url);
    }
  });

  it("an issuer's form names all it leaves out: the default port and the trailing slash", () => {
    assert.deepEqual(problemList(pingfederate({ issuerUrl: "https://sso.example.com/" })), [
      'coder-oidc:pingfederate.issuerUrl: must be written as PingFederate publishes it, "https://sso.example.com" (lowercase ' +
      'scheme and host, punycode for an internationalized host, no default port, no trailing slash), got ' +
      '"https://sso.example.com/": Coder compares CODER_OIDC_ISSUER_URL with the discovery document\'s issuer character for character',
    ]);
  });

  it("a Keycloak issuer is compared with the realm only when the realm is valid", () => {
    const issuerUrl = "https://sso.example.com/realms/main";
    for (const section of [{ realm: "bad/realm", issuerUrl }, { issuerUrl }]) {
      const keys = problemList(keycloak("https://sso.example.com", section)).map((line) => line.split(": ")[0]);
      assert.deepEqual(keys, ["coder-oidc:keycloak.realm"], JSON.stringify(section));
    }
  });
});

describe("adoptClientId against clientId", () => {
  const adopt = (clientId: string) =>
    ({ ...keycloak("https://sso.example.com"), "coder-oidc:clientId": clientId, "coder-oidc:adoptClientId": "coder" });

  it("compares the ids without their surrounding spaces", () => {
    assert.doesNotThrow(() => ok(adopt(" coder ")));
  });

  it("names the other id as the stack means it, and the two ways out", () => {
    assert.deepEqual(problemList(adopt(" other ")), [
      'coder-oidc:adoptClientId: differs from coder-oidc:clientId ("other"): the adopted client keeps its id, so the stack ' +
      "cannot name it otherwise; remove coder-oidc:clientId (it defaults to adoptClientId) or set both to the same id",
    ]);
  });

  it("with an IdP that assigns ids, only clientId is refused", () => {
    assert.deepEqual(problemList(okta({ "okta:orgName": "dev-1", "coder-oidc:clientId": "coder", "coder-oidc:adoptClientId": "0oa1234567" })),
      ["coder-oidc:clientId: is not used with Okta: Okta assigns the client id; remove coder-oidc:clientId"]);
  });
});

describe("refreshTokenReuseWindow: both ends of the IdP's range are allowed", () => {
  const rotation = (window: string) => ({ "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": window });
  it("Okta: 1s and 1m, not 0s or 61s", () => {
    for (const window of ["1s", "1m", "60s"]) assert.doesNotThrow(() => ok(oktaCustom(rotation(window))), window);
    assert.match(configProblems(oktaCustom(rotation("61s"))).get("coder-oidc:refreshTokenReuseWindow")!, /^must be between 1s and 1m for Okta/);
  });
  it("Auth0: 1d, its most", () => {
    assert.doesNotThrow(() => ok({ ...CODER_AUTH0, ...rotation("1d") }));
  });
});

describe("Google secretManager", () => {
  const problem = (secretManager: unknown, field: string) => configProblems(google(secretManager), ["coder-oidc:google"])
    .get(`coder-oidc:google.secretManager.${field}`);

  it("takes a domain-scoped project id", () => {
    assert.doesNotThrow(() => ok(google({ secretId: "x", project: "example.com:my-project" }), ["coder-oidc:google"]));
  });

  it("refuses a project id that only starts well", () => {
    for (const project of ["my-project-", "my-Project", `p${"a".repeat(30)}`]) {
      assert.match(problem({ secretId: "x", project }, "project")!, /^must be a Google Cloud project id/, project);
    }
  });

  it("says a field that is not text must be a string", () => {
    assert.equal(problem({ secretId: "x", project: 123 }, "project"), "must be a string");
    assert.equal(problem({ secretId: 123 }, "secretId"), "must be a string");
  });
});

describe("exact problem lists: one problem where there is one", () => {
  it("Okta: an empty group id names what it is", () => {
    assert.deepEqual(problemList(okta({ "okta:orgName": "dev-1" }, { assignedGroups: ["  "] })),
      ["coder-oidc:okta.assignedGroups[0]: must not be empty (Okta group id)"]);
  });

  it("Okta: a lifetime in seconds is refused for its unit only, not for its range too", () => {
    assert.deepEqual(problemList(oktaCustom({ "coder-oidc:tokens": JSON.stringify({ refreshIdleTimeout: "301s" }) })),
      ["coder-oidc:tokens.refreshIdleTimeout: must be whole minutes for Okta (its unit), got 301s"]);
  });

  it("Okta's org server: a lifetime that is not a duration is that problem alone, the unset ones none", () => {
    assert.deepEqual(problemList(okta({ "okta:orgName": "dev-1", "coder-oidc:tokens": JSON.stringify({ accessTokenLifetime: "bogus" }) })),
      ['coder-oidc:tokens.accessTokenLifetime: "bogus" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d']);
  });

  it("PingFederate: a client id unfit for a path is refused once", () => {
    assert.deepEqual(problemList(pingfederate({}, { "coder-oidc:clientId": "has space" })),
      ["coder-oidc:clientId: must be 1 to 255 printable ASCII characters without spaces (an OAuth client id)"]);
  });

  it("PingFederate: username and password log in; a token excludes both", () => {
    assert.doesNotThrow(() => ok(pingfederate({ username: "admin", password: "pw" }), ["coder-oidc:pingfederate"]));
    assert.deepEqual(problemList(pingfederate({ username: "admin", token: "tok" }), ["coder-oidc:pingfederate"]),
      ["coder-oidc:pingfederate.token: excludes pingfederate.username and pingfederate.password: choose one way to log in"]);
    assert.deepEqual(problemList(pingfederate({ token: "tok", password: "pw" }), ["coder-oidc:pingfederate"]), [
      "coder-oidc:pingfederate.username: is required when pingfederate.password is set",
      "coder-oidc:pingfederate.token: excludes pingfederate.username and pingfederate.password: choose one way to log in",
    ]);
  });
});

describe("the field schemas and helpers, called directly", () => {
  it("every problem a field schema finds is a custom issue carrying its message", () => {
    const cases: [z.ZodType, string][] = [[httpsUrl("x"), "nope"], [duration, "x"], [duration, "0s"], [duration, "2147483648s"]];
    for (const [schema, input] of cases) {
      const issues = schema.safeParse(input).error?.issues ?? [];
      assert.deepEqual(issues.map((issue) => issue.code), ["custom"], input);
    }
  });

  it("a URL schema allows http for localhost unless told otherwise", () => {
    assert.equal(httpsUrl("x").safeParse("http://localhost:3000").success, true);
    assert.equal(httpsUrl("x", false).safeParse("http://localhost:3000").success, false);
  });

  it("valueAt stops at a null on the way", () => {
    assert.equal(valueAt({ a: null }, ["a", "b"]), undefined);
    assert.equal(valueAt({ a: { b: 1 } }, ["a", "b"]), 1);
  });

  it("Okta's ranges include their ends", () => {
    assert.equal(oktaLifetimeInRange("accessTokenLifetime", 86_400), true);
    assert.equal(oktaLifetimeInRange("accessTokenLifetime", 86_460), false);
    assert.equal(oktaLifetimeInRange("accessTokenLifetime", 300), true);
  });
});
