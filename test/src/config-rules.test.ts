import { coderRow } from "../support/idps";
/**
 * Rules that hold for every key of a kind (every URL key, every section, every duration, every secret), each
 * key with its own test, so that a rule dropped for one key cannot pass unnoticed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MAX_LIFETIME_SECONDS, type RawStackConfig } from "../../src/config";
import { parseStackConfig } from "../../idps/registry";
import { coderClientRequest } from "../../src/coder-env";
import { ConfigError } from "../../src/errors";

const TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

/** This UTC month: a secretRotation whose secret (180d) has neither ended nor starts in the future, whenever the tests run. */
const THIS_MONTH = new Date().toISOString().slice(0, 7);

/** A valid stack of each IdP, as the engine hands it over: section objects as JSON text. */
const BASE: Record<string, Record<string, unknown>> = {
  keycloak: { coderUrl: "https://coder.example.com", idp: "keycloak", keycloak: { realm: "main" } },
  "entra-id": { coderUrl: "https://coder.example.com", idp: "entra-id", entraId: { tenantId: TENANT, secretRotation: THIS_MONTH } },
  google: {
    coderUrl: "https://coder.example.com", idp: "google",
    google: { clientId: "1-abc.apps.googleusercontent.com", clientSecret: "s", secretManager: { secretId: "x", project: "proj-123" } },
  },
  pingfederate: {
    coderUrl: "https://coder.example.com", idp: "pingfederate",
    pingfederate: { adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" },
  },
};

function raw(idp: string, patch: Record<string, unknown> = {}, extra: Record<string, string> = {}): RawStackConfig {
  const own = { ...BASE[idp], ...patch };
  const values: Record<string, string> = { ...extra };
  for (const [key, value] of Object.entries(own)) {
    if (value !== undefined) values[`coder-oidc:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  if (idp === "keycloak" && !("keycloak:url" in values)) values["keycloak:url"] = "https://sso.example.com";
  const secretPaths = new Set(idp === "google" ? ["coder-oidc:google.clientSecret"] : []);
  return { values, secretKeys: new Set(idp === "google" ? ["coder-oidc:google"] : []), secretPaths };
}

function problems(config: RawStackConfig): Map<string, string> {
  try {
    parseStackConfig(config);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return new Map(err.problems.map((p) => [p.key, p.message]));
  }
  assert.fail("expected the config to be rejected");
}

/** Sets `path` (`pingfederate.adminUrl`) in a copy of the IdP's base stack. */
function withValue(idp: string, path: string, value: unknown): RawStackConfig {
  const [section, ...rest] = path.split(".");
  if (rest.length === 0) return raw(idp, { [section]: value });
  const copy = structuredClone(BASE[idp][section] ?? {}) as Record<string, unknown>;
  let at = copy;
  for (const part of rest.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
  at[rest[rest.length - 1]] = value;
  return raw(idp, { [section]: copy });
}

describe("every base stack is valid", () => {
  for (const idp of Object.keys(BASE)) it(`${idp}`, () => assert.doesNotThrow(() => parseStackConfig(raw(idp))));
});

/** Every URL key: the IdP whose stack reads it, and how it is set. */
const URL_KEYS: readonly { key: string; idp: string; set: (url: string) => RawStackConfig }[] = [
  { key: "coder-oidc:coderUrl", idp: "keycloak", set: (u) => withValue("keycloak", "coderUrl", u) },
  { key: "coder-oidc:keycloak.issuerUrl", idp: "keycloak", set: (u) => withValue("keycloak", "keycloak.issuerUrl", u) },
  { key: "keycloak:url", idp: "keycloak", set: (u) => raw("keycloak", {}, { "keycloak:url": u }) },
  { key: "coder-oidc:pingfederate.adminUrl", idp: "pingfederate", set: (u) => withValue("pingfederate", "pingfederate.adminUrl", u) },
  { key: "coder-oidc:pingfederate.issuerUrl", idp: "pingfederate", set: (u) => withValue("pingfederate", "pingfederate.issuerUrl", u) },
];

const USER_INFO_SECRET = "Pw-7f3a9-not-to-be-shown";

describe("every URL key", () => {
  for (const { key, set } of URL_KEYS) {
    it(`${key} rejects a query`, () => assert.match(problems(set("https://h.example.com/?a=1")).get(key)!, /query or fragment/));
    it(`${key} rejects a fragment`, () => assert.match(problems(set("https://h.example.com/#top")).get(key)!, /query or fragment/));
    it(`${key} rejects an empty query mark`, () => assert.match(problems(set("https://h.example.com/?")).get(key)!, /query or fragment/));
    it(`${key} rejects user info without showing it`, () => {
      const message = problems(set(`https://admin:${USER_INFO_SECRET}@h.example.com`)).get(key)!;
      assert.match(message, /must not carry credentials/);
      assert.ok(!message.includes(USER_INFO_SECRET) && !message.includes("admin:"), message);
    });
    it(`${key} never shows user info, whatever else is wrong`, () => {
      for (const url of [`http://u:${USER_INFO_SECRET}@h.example.com`, `ftp://u:${USER_INFO_SECRET}@h`, `https://u:${USER_INFO_SECRET}@h.example.com/?q`, `//u:${USER_INFO_SECRET}@h`]) {
        const all = [...problems(set(url)).values()].join("\n");
        assert.ok(!all.includes(USER_INFO_SECRET), all);
      }
    });
    it(`${key} rejects a scheme other than https`, () => {
      for (const url of ["http://h.example.com", "ftp://h.example.com", "javascript:alert(1)", "file:///etc/passwd"]) {
        assert.match(problems(set(url)).get(key)!, /must use https|absolute URL/, url);
      }
    });
    it(`${key} rejects spaces and control characters`, () => {
      for (const url of [" https://h.example.com", "https://h.example.com ", "https://h.example.com/a b", "https://h.example.com/\t"]) {
        assert.match(problems(set(url)).get(key)!, /spaces or control characters/, JSON.stringify(url));
      }
    });
  }
});

describe("coderUrl is used exactly as Coder sends it", () => {
  const message = (url: string) => problems(withValue("keycloak", "coderUrl", url)).get("coder-oidc:coderUrl");
  for (const [url, canonical] of [
    ["HTTPS://coder.example.com", "https://coder.example.com"],
    ["https://Coder.Example.COM", "https://coder.example.com"],
    ["https://bücher.example", "https://xn--bcher-kva.example"],
    ["https://coder.example.com:443", "https://coder.example.com"],
    ["http://localhost:80", "http://localhost"],
  ]) {
    it(`refuses ${url}, naming the form to write: ${canonical}`, () => {
      assert.match(message(url)!, new RegExp(`written as browsers and Coder serialize it, "${canonical.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));
    });
  }
  for (const url of ["https://example.com/coder", "https://example.com/coder/", "https://example.com/%20"]) {
    it(`refuses a path (${url}): Coder drops it from its redirect URI`, () => assert.match(message(url)!, /must not have a path.*absolute path/s));
  }

  it("derives the redirect URI and the web origin from the same canonical form", () => {
    const host = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(fc.property(fc.array(host, { minLength: 1, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 })), fc.boolean(),
      (labels, port, slash) => {
        const url = `https://${labels.join(".")}.example${port && port !== 443 ? `:${port}` : ""}${slash ? "/" : ""}`;
        const config = parseStackConfig(withValue("keycloak", "coderUrl", url));
        const request = coderClientRequest(config, coderRow(config.idp));
        const parsed = new URL(url);
        assert.equal(request.redirectUri, new URL("/api/v2/users/oidc/callback", parsed).href);
        assert.equal(request.coderOrigin, parsed.origin);
        assert.equal(request.coderUrl, parsed.origin);
      }));
  });
});

/** Every object section and one field it has, to misspell. */
const SECTIONS: readonly { path: string; idp: string; field: string }[] = [
  { path: "tokens", idp: "keycloak", field: "refreshIdleTimeout" },
  { path: "keycloak", idp: "keycloak", field: "realm" },
  { path: "entraId", idp: "entra-id", field: "tenantId" },
  { path: "google", idp: "google", field: "hostedDomain" },
  { path: "google.secretManager", idp: "google", field: "secretId" },
  { path: "pingfederate", idp: "pingfederate", field: "adminUrl" },
];

describe("every config section rejects unknown keys", () => {
  it("the top level rejects an unknown key and names the nearest", () => {
    assert.equal(problems(raw("keycloak", { dispalyName: "x" })).get("coder-oidc:dispalyName"),
      'is not a known setting (check the spelling) (did you mean "displayName"?)');
  });
  for (const { path, idp, field } of SECTIONS) {
    it(`coder-oidc:${path} rejects an unknown key and names the nearest`, () => {
      const typo = field.slice(0, -1) + field.slice(-1).toUpperCase() + "x";
      const key = `coder-oidc:${path}.${typo}`;
      assert.equal(problems(withValue(idp, `${path}.${typo}`, "x")).get(key),
        `is not a known setting (check the spelling) (did you mean "${field}"?)`);
    });
  }
});

describe("namespaces", () => {
  it("a key in a misspelt namespace is reported with the nearest valid one", () => {
    assert.match(problems(raw("keycloak", {}, { "coder-odic:displayName": "x" })).get("coder-odic:displayName")!,
      /namespace "coder-odic", which this project does not read \(did you mean "coder-oidc"\?\)/);
    assert.match(problems(raw("keycloak", {}, { "keycloack:url": "x" })).get("keycloack:url")!, /did you mean "keycloak"/);
  });
  it("a key in an unrelated namespace is reported too, once per namespace", () => {
    const found = problems(raw("keycloak", {}, { "aws:region": "x", "aws:profile": "y" }));
    assert.match(found.get("aws:region")!, /namespace "aws".*and 1 more key in "aws:"/);
    assert.equal(found.size, 1);
  });
  it("pulumi: keys and every provider namespace are read without complaint", () => {
    assert.doesNotThrow(() => parseStackConfig(raw("keycloak", {}, { "pulumi:disable-default-providers": '["*"]', "gcp:project": "proj-123", "azuread:tenantId": TENANT })));
  });
  // How the time grows with the number of keys is measured by `npm run bench` (bench/config-scale.ts).
  it("reports 200 000 keys in one unrelated namespace as one problem, counting the rest", () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 200_000; i++) extra[`other:key${i}`] = "v";
    const found = problems(raw("keycloak", {}, extra));
    assert.match(found.get("other:key0")!, /and 199999 more keys/);
    assert.equal([...found.keys()].filter((key) => key.startsWith("other:")).length, 1);
  });
});

describe("string keys take the string", () => {
  for (const text of ["[Dev] Coder", "{team} Coder", "[", "{"]) {
    it(`displayName ${JSON.stringify(text)} is the display name, not JSON`, () => {
      assert.equal(parseStackConfig(raw("keycloak", { displayName: text })).displayName, text);
    });
  }
  it("clientId \"[x]\" is the client id", () => assert.equal(parseStackConfig(raw("keycloak", { clientId: "[x]" })).clientId, "[x]"));
  it("a string key written as a map in the stack file is an error", () => {
    const config = raw("keycloak", { displayName: { a: 1 } });
    assert.match(problems({ ...config, structuredKeys: new Set(["coder-oidc:displayName"]) }).get("coder-oidc:displayName")!, /not a map or list/);
  });
});

describe("secrets never appear in config errors", () => {
  const SECRET = "Sx-91c7-unmistakable";
  it("a --secret value that is malformed JSON is not quoted back", () => {
    const config = raw("pingfederate");
    const values = { ...config.values, "coder-oidc:pingfederate": `{"adminUrl": "https://pf.example.com", "password": "${SECRET}"` };
    const all = [...problems({ values, secretKeys: new Set(["coder-oidc:pingfederate"]) }).values()].join("\n");
    assert.match(all, /not a valid map or list.*the value is a secret/);
    assert.ok(!all.includes(SECRET) && !all.includes("91c7"), all);
  });
  it("a secret value that breaks a rule is not quoted back, wherever a message would show it", () => {
    for (const [path, value] of [["tokens.refreshIdleTimeout", SECRET], ["pingfederate.secretOverlap", SECRET], ["pingfederate.adminUrl", SECRET]] as const) {
      const config = withValue(path.startsWith("tokens") ? "keycloak" : "pingfederate", path, value);
      const top = `coder-oidc:${path.split(".")[0]}`;
      const all = [...problems({ ...config, secretKeys: new Set([top]) }).values()].join("\n");
      assert.ok(!all.includes(SECRET), all);
      assert.match(all, /\[secret\]/, path);
    }
  });
  it("a section made secret as a whole (as the engine does) keeps its plain words readable", () => {
    const section = { ...BASE.pingfederate.pingfederate as object, replicate: "auto", insecureSkipTlsVerify: "maybe", secretOverlap: "soon" };
    const found = problems({ ...raw("pingfederate", { pingfederate: section }), secretKeys: new Set(["coder-oidc:pingfederate"]) });
    assert.equal(found.get("coder-oidc:pingfederate.insecureSkipTlsVerify"), "must be true or false");
    assert.match(found.get("coder-oidc:pingfederate.secretOverlap")!, /^"\[secret\]" is not a duration/);
  });

  it("a short secret is not quoted back either", () => {
    const config = withValue("keycloak", "tokens.accessTokenLifetime", "ab1");
    const all = [...problems({ ...config, secretKeys: new Set(["coder-oidc:tokens"]) }).values()].join("\n");
    assert.ok(!all.includes('"ab1"'), all);
  });
});

describe("numbers fit what the IdP stores", () => {
  const DURATION_KEYS = [
    ["keycloak", "tokens.accessTokenLifetime"], ["keycloak", "tokens.refreshIdleTimeout"], ["keycloak", "tokens.refreshMaxLifetime"],
    ["entra-id", "entraId.secretLifetime"], ["entra-id", "entraId.signInFrequency"], ["pingfederate", "pingfederate.secretOverlap"],
  ] as const;
  for (const [idp, path] of DURATION_KEYS) {
    it(`coder-oidc:${path} must fit 32-bit seconds, and the message names the limit`, () => {
      const over = `${Math.floor(MAX_LIFETIME_SECONDS / 86400) + 1}d`;
      assert.match(problems(withValue(idp, path, over)).get(`coder-oidc:${path}`)!, /at most 2147483647 seconds \(24855 days\).*32-bit/);
    });
  }
  it("coder-oidc:entraId.signInFrequency must be at most 365 days, as Conditional Access allows", () => {
    assert.doesNotThrow(() => parseStackConfig(withValue("entra-id", "entraId.signInFrequency", "365d")));
    assert.match(problems(withValue("entra-id", "entraId.signInFrequency", "366d")).get("coder-oidc:entraId.signInFrequency")!, /at most 365d/);
  });

  it("the largest 32-bit lifetime is accepted", () => {
    assert.equal(parseStackConfig(withValue("keycloak", "tokens.refreshMaxLifetime", `${MAX_LIFETIME_SECONDS}s`)).tokens.refreshMaxLifetime, MAX_LIFETIME_SECONDS);
  });
});

describe("identifiers that end up in IdP URLs or API paths", () => {
  const cases: readonly [idp: string, path: string, good: string, bad: readonly string[], rule: RegExp][] = [
    ["keycloak", "keycloak.realm", "main-realm_1", ["a/b", "a b", "..", "a?b", "a#b", "50%", "x".repeat(256), "ré"], /realm/],
    ["pingfederate", "clientId", "coder.client-1", ["a/b", "a%2F", "..", "a?b", "x".repeat(256)], /client id/i],
    ["keycloak", "clientId", "https://coder.example.com", ["a b", "x".repeat(256), "é"], /client id/i],
    ["pingfederate", "pingfederate.accessTokenManagerId", "coderAtm_1", ["coder-jwt-atm", "a b", "x".repeat(33)], /access token manager/],
    ["pingfederate", "pingfederate.oidcPolicyGroupId", "policy1", ["a/b", "x".repeat(33)], /OIDC policy/],
    ["google", "google.secretManager.secretId", "coder-secret_1", ["a/b", "a.b", "x".repeat(256)], /letters, digits/],
    ["google", "google.secretManager.project", "my-proj-1", ["My-Proj", "abc", "p/x"], /project id/],
  ];
  for (const [idp, path, good, bad, rule] of cases) {
    it(`coder-oidc:${path} (${idp}) accepts what the IdP accepts and names the rule otherwise`, () => {
      assert.doesNotThrow(() => parseStackConfig(withValue(idp, path, good)));
      for (const value of bad) assert.match(problems(withValue(idp, path, value)).get(`coder-oidc:${path}`) ?? "(accepted)", rule, value);
    });
  }
});
