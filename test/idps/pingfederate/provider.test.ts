/**
 * The dynamic providers' methods over real HTTP against the simulator: lifecycle, drift found by read + diff,
 * unmanaged settings preserved (property-based), duplicate clients and adoption, secret rotation,
 * replication, faults, errors, check and diff rules, version gating, and the offline_access scope.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { inspect } from "node:util";
import fc from "fast-check";
import { checkClientInputs } from "../../../idps/pingfederate/check";
import { diffClient } from "../../../idps/pingfederate/diff";
import type { PfOAuthClientInputs, PfOAuthClientOutputs } from "../../../idps/pingfederate/inputs";
import { pingFederateClientProvider as provider, pingFederateScopeProvider as scopeProvider } from "../../../idps/pingfederate/provider";
import { forgetConfiguredCredentials } from "../../../idps/pingfederate/credentials";
import { coderClientInputs, type PfAdminSim, startPfAdminSim, uniqueId } from "../../../e2e/support/pf-admin-sim";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const WITH_OFFLINE_ACCESS = [
  { name: "profile", description: "Profile" },
  { name: "email", description: "Email" },
  { name: "offline_access", description: "Offline access" },
];

type Inputs = PfOAuthClientInputs;
type Outputs = PfOAuthClientOutputs;

/** Runs `check` and insists it passes, returning the inputs the engine would pass on. */
async function checked(inputs: Inputs): Promise<Inputs> {
  const result = await provider.check!({} as Inputs, inputs);
  assert.deepEqual(result.failures ?? [], []);
  return result.inputs!;
}

async function create(inputs: Inputs): Promise<Outputs> {
  const result = await provider.create(await checked(inputs));
  assert.equal(result.id, inputs.clientId);
  return result.outs!;
}

async function readBack(outs: Outputs): Promise<Outputs> {
  const result = await provider.read!(outs.clientId, outs);
  assert.equal(result.id, outs.clientId);
  return result.props!;
}

function useCredentials(sim: PfAdminSim): void {
  process.env.PINGFEDERATE_ADMIN_USERNAME = sim.username;
  process.env.PINGFEDERATE_ADMIN_PASSWORD = sim.password;
  delete process.env.PINGFEDERATE_ADMIN_TOKEN;
}

describe("PingFederate OAuth client provider", () => {
  let sim: PfAdminSim;
  const inputs = (overrides: Partial<Inputs> = {}) => coderClientInputs(sim.url, { clientId: uniqueId("coder"), ...overrides });

  before(async () => {
    sim = await startPfAdminSim({ commonScopes: WITH_OFFLINE_ACCESS });
    useCredentials(sim);
  });
  after(() => sim.close());
  afterEach(() => {
    sim.clearFaults();
    sim.settings.clustered = false;
    sim.settings.replicateClientsOnSave = false;
    useCredentials(sim);
    forgetConfiguredCredentials();
  });

  describe("lifecycle", () => {
    test("create, read, update and delete work over real HTTP", async () => {
      const wanted = inputs();
      const outs = await create(wanted);
      assert.match(outs.clientSecret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "primary");
      const live = sim.getClient(wanted.clientId)!;
      assert.deepEqual(live.grantTypes, ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
      assert.equal(live.restrictScopes, true);
      assert.equal(live.persistentGrantIdleTimeout, 30);
      assert.equal(live.requireOfflineAccessScopeToIssueRefreshTokens, "YES");
      assert.equal((live.clientAuth as { type: string }).type, "SECRET");

      const read = await readBack(outs);
      assert.equal((await provider.diff!(wanted.clientId, read, await checked(wanted))).changes, false);

      const renamed = await checked({ ...wanted, name: "Coder (prod)", redirectUris: [...wanted.redirectUris, "https://coder2.example.com/api/v2/users/oidc/callback"] });
      const updated = (await provider.update!(wanted.clientId, read, renamed)).outs!;
      assert.equal(sim.getClient(wanted.clientId)!.name, "Coder (prod)");
      assert.equal(updated.clientSecret, outs.clientSecret);
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "primary");

      await provider.delete!(wanted.clientId, updated);
      assert.equal(sim.getClient(wanted.clientId), undefined);
      assert.deepEqual(await provider.read!(wanted.clientId, updated), { id: "" });
    });

    test("works over HTTPS with the admin API's CA given as caCertificate", async () => {
      const wanted = inputs({ adminUrl: sim.httpsUrl, caCertificate: sim.caPem });
      const outs = await create(wanted);
      assert.equal(outs.caCertificate, sim.caPem);
      await readBack(outs);
      await provider.delete!(wanted.clientId, outs);
      assert.equal(sim.getClient(wanted.clientId), undefined);
    });

    test("read reports a deleted client as gone", async () => {
      const outs = await create(inputs());
      sim.removeClient(outs.clientId);
      assert.deepEqual(await provider.read!(outs.clientId, outs), { id: "" });
    });

    test("update of a client deleted by hand says to refresh", async () => {
      const outs = await create(inputs());
      sim.removeClient(outs.clientId);
      await assert.rejects(provider.update!(outs.clientId, outs, await checked({ ...outs, name: "x" })), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_PF_CLIENT_GONE");
        assert.match(error.message, /no longer exists \(deleted outside Pulumi\)\. Run pulumi refresh/);
        return true;
      });
    });

    test("delete of a client that is already gone succeeds", async () => {
      const outs = await create(inputs());
      sim.removeClient(outs.clientId);
      await provider.delete!(outs.clientId, outs);
    });

    test("outputs never hold encryptedSecret, which changes on every read", async () => {
      const outs = await create(inputs());
      const first = await readBack(outs);
      const second = await readBack(outs);
      assert.deepEqual(first, second);
      assert.ok(!JSON.stringify(first).includes("OBF:JWE:"));
      assert.notEqual((sim.getClient(outs.clientId)!.clientAuth as { encryptedSecret: string }).encryptedSecret,
        (sim.getClient(outs.clientId)!.clientAuth as { encryptedSecret: string }).encryptedSecret);
    });
  });

  describe("an existing client", () => {
    test("create refuses a client that already exists, changes nothing, and says how to adopt it", async () => {
      const wanted = inputs();
      sim.addClientByHand({ clientId: wanted.clientId, name: "Made by hand", grantTypes: ["CLIENT_CREDENTIALS"], logoUrl: "https://x/logo.png" }, "hand-made-secret-1");
      const before = JSON.stringify({ ...sim.getClient(wanted.clientId), clientAuth: undefined });
      sim.clearLog();
      await assert.rejects(provider.create(await checked(wanted)), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_PF_CLIENT_EXISTS");
        assert.match(error.message, new RegExp(`already has an OAuth client "${wanted.clientId}" \\(name "Made by hand"\\); this stack will not overwrite it`));
        assert.ok(error.message.includes(`pulumi config set coder-oidc:adoptClientId ${wanted.clientId} and pulumi up`));
        return true;
      });
      assert.equal(sim.count("POST"), 0);
      assert.equal(sim.count("PUT"), 0);
      assert.equal(JSON.stringify({ ...sim.getClient(wanted.clientId), clientAuth: undefined }), before);
      assert.equal(sim.secretStatus(wanted.clientId, "hand-made-secret-1"), "primary");
    });

    test("create with adoptClientId takes the client over: managed fields set, its secret and unmanaged settings kept", async () => {
      const wanted = await checked(inputs());
      sim.addClientByHand({ clientId: wanted.clientId, name: "Made by hand", grantTypes: ["AUTHORIZATION_CODE"], logoUrl: "https://x/logo.png" }, "hand-made-secret-2");
      const adopting = await checked({ ...wanted, adoptClientId: wanted.clientId });
      sim.clearLog();
      const outs = (await provider.create(adopting)).outs!;
      const live = sim.getClient(wanted.clientId)!;
      assert.equal(live.name, "Coder");
      assert.deepEqual(live.grantTypes, ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
      assert.equal(live.logoUrl, "https://x/logo.png");
      assert.equal(sim.secretStatus(wanted.clientId, "hand-made-secret-2"), "primary", "the secret Coder has keeps working");
      assert.equal(outs.clientSecret, undefined, "no new secret was issued");
      assert.equal(sim.count("POST"), 0);
      // Nothing to do on the next run with the key still set: adoptClientId is no part of the diff.
      const read = await readBack(outs);
      assert.equal((await provider.diff!(wanted.clientId, read, adopting)).changes, false);
      // A later secretVersion rotates, the adopted secret kept for secretOverlap.
      const rotated = (await provider.update!(wanted.clientId, read, { ...adopting, secretVersion: "2" })).outs!;
      assert.equal(sim.secretStatus(wanted.clientId, rotated.clientSecret), "primary");
      assert.equal(sim.secretStatus(wanted.clientId, "hand-made-secret-2"), "secondary");
    });

    test("adopting a client that is not there fails check (so preview) and create, naming PingFederate, the admin URL and the id", async () => {
      const wanted = { ...inputs(), adoptClientId: "" };
      wanted.adoptClientId = wanted.clientId;
      const { failures } = await provider.check!({} as Inputs, wanted);
      const reason = `PingFederate has no OAuth client "${wanted.clientId}" at ${wanted.adminUrl} (coder-oidc:adoptClientId)`;
      assert.equal(failures?.length, 1);
      assert.equal(failures![0].property, "adoptClientId");
      assert.ok(failures![0].reason.startsWith(reason), failures![0].reason);
      await assert.rejects(provider.create(wanted), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_ADOPT_CLIENT");
        assert.ok(error.message.startsWith(reason));
        return true;
      });
      // Once the client is in the state (old inputs), check does not look it up again.
      assert.deepEqual((await provider.check!(wanted, wanted)).failures, []);
    });

    test("adoptClientId must be the clientId", async () => {
      const wanted = inputs({ adoptClientId: "another" });
      const { failures } = await provider.check!({} as Inputs, wanted);
      assert.deepEqual(failures, [{ property: "adoptClientId", reason: `adoptClientId must be the clientId (${JSON.stringify(wanted.clientId)}), got "another"` }]);
    });
  });

  describe("rolling refresh tokens with a grace period (refreshTokenRotation: on)", () => {
    const rolling = { refreshRolling: "ROLL", refreshTokenRollingGracePeriodType: "OVERRIDE_SERVER_DEFAULT", refreshTokenRollingGracePeriod: 45 } as const;

    test("the grace period is written with ROLL and read back as it is live", async () => {
      const wanted = await checked(inputs(rolling));
      const outs = await create(wanted);
      const live = sim.getClient(wanted.clientId)!;
      assert.deepEqual([live.refreshRolling, live.refreshTokenRollingGracePeriodType, live.refreshTokenRollingGracePeriod],
        ["ROLL", "OVERRIDE_SERVER_DEFAULT", 45]);
      const read = await readBack(outs);
      assert.deepEqual([read.refreshTokenRollingGracePeriodType, read.refreshTokenRollingGracePeriod], ["OVERRIDE_SERVER_DEFAULT", 45]);
      assert.equal((await provider.diff!(wanted.clientId, read, wanted)).changes, false);
    });

    test("a grace period changed by hand is drift, and update puts it back", async () => {
      const wanted = await checked(inputs(rolling));
      const outs = await create(wanted);
      sim.editClient(wanted.clientId, (c) => { c.refreshTokenRollingGracePeriod = 0; });
      const read = await readBack(outs);
      assert.deepEqual(diffClient(read as never, wanted as never).changes, ["refreshTokenRollingGracePeriodType", "refreshTokenRollingGracePeriod"]);
      const fixed = (await provider.update!(wanted.clientId, read, wanted)).outs!;
      assert.equal(sim.getClient(wanted.clientId)!.refreshTokenRollingGracePeriod, 45);
      assert.equal((await provider.diff!(wanted.clientId, await readBack(fixed), wanted)).changes, false);
    });

    test("without a grace period in the inputs, the client's own is left alone and is not drift", async () => {
      const wanted = await checked(inputs({ refreshRolling: "DONT_ROLL" }));
      const outs = await create(wanted);
      sim.editClient(wanted.clientId, (c) => {
        c.refreshTokenRollingGracePeriodType = "OVERRIDE_SERVER_DEFAULT";
        c.refreshTokenRollingGracePeriod = 5;
      });
      const read = await readBack(outs);
      assert.equal(read.refreshTokenRollingGracePeriodType, undefined);
      assert.equal((await provider.diff!(wanted.clientId, read, wanted)).changes, false);
      await provider.update!(wanted.clientId, read, await checked({ ...wanted, name: "Coder (renamed)" }));
      assert.equal(sim.getClient(wanted.clientId)!.refreshTokenRollingGracePeriod, 5);
    });
  });

  describe("every managed field: drift in it is seen, and update writes it back", () => {
    /** Inputs that configure the connection or the provider itself, not a field of PingFederate's client. */
    const NOT_CLIENT_FIELDS = new Set(["adminUrl", "caCertificate", "insecureSkipTlsVerify", "replicate", "secretVersion", "secretOverlap", "clientId"]);
    /** For each managed field of the client, a hand edit that changes it and nothing else the stack wants. */
    const HAND_EDITS: Record<string, (c: Record<string, unknown>) => void> = {
      name: (c) => { c.name = "Renamed by hand"; },
      description: (c) => { c.description = "Edited by hand"; },
      redirectUris: (c) => { c.redirectUris = ["https://coder.example.com/api/v2/users/oidc/callback", "https://evil.example.com/cb"]; },
      grantTypes: (c) => { c.grantTypes = ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "IMPLICIT"]; },
      restrictScopes: (c) => { c.restrictScopes = false; },
      restrictedScopes: (c) => { c.restrictedScopes = ["openid", "profile", "email"]; },
      refreshRolling: (c) => { c.refreshRolling = "ROLL"; },
      persistentGrantExpirationType: (c) => { c.persistentGrantExpirationType = "INDEFINITE_EXPIRY"; },
      persistentGrantExpirationTime: (c) => { c.persistentGrantExpirationTime = 45; },
      persistentGrantExpirationTimeUnit: (c) => { c.persistentGrantExpirationTimeUnit = "HOURS"; },
      persistentGrantIdleTimeoutType: (c) => { c.persistentGrantIdleTimeoutType = "SERVER_DEFAULT"; },
      persistentGrantIdleTimeout: (c) => { c.persistentGrantIdleTimeout = 7; },
      persistentGrantIdleTimeoutTimeUnit: (c) => { c.persistentGrantIdleTimeoutTimeUnit = "HOURS"; },
      requireOfflineAccessScopeToIssueRefreshTokens: (c) => { c.requireOfflineAccessScopeToIssueRefreshTokens = "NO"; },
      bypassApprovalPage: (c) => { c.bypassApprovalPage = false; },
      defaultAccessTokenManagerRef: (c) => { c.defaultAccessTokenManagerRef = { id: "default" }; },
      oidcPolicy: (c) => { c.oidcPolicy = { policyGroup: { id: "defaultOidc" } }; },
    };
    const full = () => inputs({ defaultAccessTokenManagerRef: { id: "coderAtm" }, oidcPolicy: { policyGroup: { id: "coderOidcPolicy" } } });

    test("the list of edits covers every managed input: a new field needs its drift test", async () => {
      const fields = Object.keys(await checked(full())).filter((k) => !NOT_CLIENT_FIELDS.has(k)).sort();
      assert.deepEqual(fields, Object.keys(HAND_EDITS).sort());
    });

    for (const [field, edit] of Object.entries(HAND_EDITS)) {
      test(`${field}: a hand edit is drift (read + diff), and update puts the wanted value back`, async () => {
        const wanted = await checked(full());
        const outs = await create(wanted);
        sim.editClient(wanted.clientId, edit);
        const read = await readBack(outs);
        assert.ok(diffClient(read as never, wanted as never).changes.includes(field), `diff misses ${field}`);
        assert.equal((await provider.diff!(wanted.clientId, read, wanted)).changes, true);
        await provider.update!(wanted.clientId, read, wanted);
        const live = sim.getClient(wanted.clientId)! as Record<string, unknown>;
        assert.deepEqual(live[field], (wanted as unknown as Record<string, unknown>)[field], `update writes ${field} back`);
      });
    }
  });

  describe("drift made by hand is found by read + diff", () => {
    const driftCases: { rule: string; edit: (c: Record<string, unknown>) => void; changed: string }[] = [
      { rule: "a removed grant type", edit: (c) => { c.grantTypes = ["AUTHORIZATION_CODE"]; }, changed: "grantTypes" },
      { rule: "a removed scope", edit: (c) => { c.restrictedScopes = ["openid", "profile", "email"]; }, changed: "restrictedScopes" },
      { rule: "a changed idle timeout", edit: (c) => { c.persistentGrantIdleTimeout = 7; }, changed: "persistentGrantIdleTimeout" },
      { rule: "an idle timeout put back to the server default", edit: (c) => { c.persistentGrantIdleTimeoutType = "SERVER_DEFAULT"; }, changed: "persistentGrantIdleTimeoutType" },
      { rule: "rolling refresh tokens switched on", edit: (c) => { c.refreshRolling = "ROLL"; }, changed: "refreshRolling" },
      { rule: "offline_access no longer required", edit: (c) => { c.requireOfflineAccessScopeToIssueRefreshTokens = "NO"; }, changed: "requireOfflineAccessScopeToIssueRefreshTokens" },
      { rule: "client authentication switched away from a secret", edit: (c) => { c.clientAuth = { type: "NONE" }; }, changed: "clientAuth" },
    ];
    for (const { rule, edit, changed } of driftCases) {
      test(`${rule} is drift, and update puts it back`, async () => {
        const wanted = await checked(inputs());
        const outs = await create(wanted);
        sim.editClient(wanted.clientId, edit);
        const read = await readBack(outs);
        const { clientSecret: _secret, serverVersion: _version, clientAuthType: _auth, ...liveInputs } = read;
        assert.deepEqual((await provider.read!(wanted.clientId, outs)).inputs, liveInputs);
        assert.equal((await provider.diff!(wanted.clientId, read, wanted)).changes, true);
        assert.ok(diffClient(read as never, wanted as never).changes.includes(changed), `diff misses ${changed}`);

        const fixed = (await provider.update!(wanted.clientId, read, wanted)).outs!;
        assert.equal((await provider.diff!(wanted.clientId, await readBack(fixed), wanted)).changes, false);
        assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "primary");
      });
    }

    test("read reports the live managed fields as inputs too, without the secret", async () => {
      const outs = await create(inputs());
      sim.editClient(outs.clientId, (c) => { c.grantTypes = ["AUTHORIZATION_CODE"]; });
      const result = await provider.read!(outs.clientId, outs);
      assert.deepEqual(result.inputs!.grantTypes, ["AUTHORIZATION_CODE"]);
      assert.equal((result.inputs as Partial<Outputs>).clientSecret, undefined);
      assert.equal(result.props!.clientSecret, outs.clientSecret);
    });

    test("set order and time units are not drift: 720 HOURS is 30 DAYS", async () => {
      const wanted = await checked(inputs({ redirectUris: ["https://a.example.com/cb", "https://b.example.com/cb"] }));
      const outs = await create(wanted);
      sim.editClient(outs.clientId, (c) => {
        c.redirectUris = ["https://b.example.com/cb", "https://a.example.com/cb"];
        c.restrictedScopes = ["offline_access", "email", "profile", "openid"];
        c.grantTypes = ["REFRESH_TOKEN", "AUTHORIZATION_CODE"];
        c.persistentGrantIdleTimeout = 720;
        c.persistentGrantIdleTimeoutTimeUnit = "HOURS";
      });
      assert.equal((await provider.diff!(outs.clientId, await readBack(outs), wanted)).changes, false);
    });
  });

  describe("settings this stack does not manage", () => {
    const url = fc.webUrl({ validSchemes: ["https"] });
    const unmanaged = fc.record({
      logoUrl: url,
      enabled: fc.boolean(),
      requireProofKeyForCodeExchange: fc.boolean(),
      requirePushedAuthorizationRequests: fc.boolean(),
      requireDpop: fc.boolean(),
      restrictToDefaultAccessTokenManager: fc.boolean(),
      restrictedResponseTypes: fc.subarray(["code", "code id_token", "id_token"]),
      persistentGrantReuseType: fc.constantFrom("SERVER_DEFAULT", "OVERRIDE_SERVER_DEFAULT"),
      refreshTokenRollingGracePeriodType: fc.constantFrom("SERVER_DEFAULT", "OVERRIDE_SERVER_DEFAULT"),
      refreshTokenRollingGracePeriod: fc.integer({ min: 0, max: 86_400 }),
      cibaPollingInterval: fc.integer({ min: 1, max: 60 }),
      userAuthorizationUrlOverride: url,
      offlineAccessRequireConsentPrompt: fc.constantFrom("SERVER_DEFAULT", "NO", "YES"),
      jwksSettings: fc.record({ jwksUrl: url }),
      extendedParameters: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.record({ values: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }) }), { maxKeys: 3 }),
      oidcPolicy: fc.record({
        idTokenSigningAlgorithm: fc.constantFrom("RS256", "ES256", "PS256"),
        logoutUris: fc.array(url, { maxLength: 2 }),
        pairwiseIdentifierUserType: fc.boolean(),
        grantAccessSessionRevocationApi: fc.boolean(),
      }, { requiredKeys: [] }),
    }, { requiredKeys: [] });

    test("every unmanaged field set by hand survives an update of managed fields (property)", async () => {
      const wanted = await checked(inputs());
      let outs = await create(wanted);
      await fc.assert(fc.asyncProperty(unmanaged, fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ""), async (extra, name) => {
        sim.editClient(wanted.clientId, (c) => {
          const { oidcPolicy, ...top } = extra;
          Object.assign(c, top);
          if (oidcPolicy) c.oidcPolicy = { ...(c.oidcPolicy as object), ...oidcPolicy };
        });
        const read = await readBack(outs);
        outs = (await provider.update!(wanted.clientId, read, { ...wanted, name })).outs!;
        const live = sim.getClient(wanted.clientId)!;
        assert.equal(live.name, name);
        // As JSON: fast-check may build objects without a prototype.
        const { oidcPolicy, ...top } = JSON.parse(JSON.stringify(extra)) as typeof extra;
        for (const [key, value] of Object.entries(top)) assert.deepEqual(live[key], value, `${key} was not kept`);
        for (const [key, value] of Object.entries(oidcPolicy ?? {})) assert.deepEqual((live.oidcPolicy as Record<string, unknown>)[key], value, `oidcPolicy.${key} was not kept`);
        assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "primary");
      }), { numRuns: 30 });
    });

    test("an update that changes nothing managed sends no PUT", async () => {
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      sim.clearLog();
      await provider.update!(wanted.clientId, outs, { ...wanted, secretOverlap: 3600 });
      assert.equal(sim.count("PUT"), 0);
    });
  });

  describe("secret rotation", () => {
    test("changing secretVersion rotates the secret and keeps the old one as a secondary until secretOverlap", async () => {
      const wanted = await checked(inputs({ secretVersion: "2026-01", secretOverlap: 7200 }));
      const outs = await create(wanted);
      sim.clearLog();
      const started = Date.now();
      const rotated = (await provider.update!(wanted.clientId, outs, { ...wanted, secretVersion: "2026-02" })).outs!;
      assert.notEqual(rotated.clientSecret, outs.clientSecret);
      assert.equal(rotated.secretVersion, "2026-02");
      assert.equal(sim.secretStatus(wanted.clientId, rotated.clientSecret), "primary");
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "secondary");
      const [expiry] = sim.secondaryExpiries(wanted.clientId);
      const overlapMs = Date.parse(expiry) - started;
      assert.ok(overlapMs > 7200_000 - 60_000 && overlapMs < 7200_000 + 60_000, `secondary expires after ${overlapMs} ms`);
      assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path}`),
        [`GET /oauth/clients/${wanted.clientId}`, `PUT /oauth/clients/${wanted.clientId}/clientAuth/clientSecret`, "GET /cluster/status"]);
    });

    test("a second rotation keeps the earlier, unexpired secondary secrets", async () => {
      const wanted = await checked(inputs({ secretVersion: "1" }));
      const first = await create(wanted);
      const second = (await provider.update!(wanted.clientId, first, { ...wanted, secretVersion: "2" })).outs!;
      const third = (await provider.update!(wanted.clientId, second, { ...wanted, secretVersion: "3" })).outs!;
      assert.equal(sim.secretStatus(wanted.clientId, third.clientSecret), "primary");
      assert.equal(sim.secretStatus(wanted.clientId, second.clientSecret), "secondary");
      assert.equal(sim.secretStatus(wanted.clientId, first.clientSecret), "secondary");
    });

    test("secretOverlap 0 retires the old secret at once", async () => {
      const wanted = await checked(inputs({ secretVersion: "1", secretOverlap: 0 }));
      const outs = await create(wanted);
      const rotated = (await provider.update!(wanted.clientId, outs, { ...wanted, secretVersion: "2" })).outs!;
      assert.equal(sim.secretStatus(wanted.clientId, rotated.clientSecret), "primary");
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), undefined);
    });

    test("a managed change and a rotation together keep unmanaged settings", async () => {
      const wanted = await checked(inputs({ secretVersion: "1" }));
      const outs = await create(wanted);
      sim.editClient(wanted.clientId, (c) => { c.logoUrl = "https://logo.example.com/x.png"; });
      const rotated = (await provider.update!(wanted.clientId, outs, { ...wanted, name: "Coder 2", secretVersion: "2" })).outs!;
      const live = sim.getClient(wanted.clientId)!;
      assert.equal(live.name, "Coder 2");
      assert.equal(live.logoUrl, "https://logo.example.com/x.png");
      assert.equal(sim.secretStatus(wanted.clientId, rotated.clientSecret), "primary");
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "secondary");
    });
  });

  describe("replication", () => {
    test("a standalone server (403 on /cluster/status) is never replicated", async () => {
      sim.clearLog();
      const outs = await create(inputs());
      await provider.delete!(outs.clientId, outs);
      assert.equal(sim.count("GET", "/cluster/status"), 2);
      assert.equal(sim.count("POST", "/cluster/replicate"), 0);
    });

    test("a cluster is replicated after create, update and delete when it says replication is required", async () => {
      sim.settings.clustered = true;
      const before = sim.replications;
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      const updated = (await provider.update!(wanted.clientId, outs, { ...wanted, name: "Coder 3" })).outs!;
      await provider.delete!(wanted.clientId, updated);
      assert.equal(sim.replications - before, 3);
      assert.equal(sim.replicationRequired, false);
    });

    test("an update with nothing to write still replicates a cluster that waits for it (after a failed replication)", async () => {
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      sim.settings.clustered = true;
      sim.editClient(outs.clientId, (c) => { c.logoUrl = "https://logo.example.com/a.png"; });
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500 });
      await assert.rejects(provider.update!(wanted.clientId, outs, { ...wanted, name: "Coder 4" }), /ERR_PF_REPLICATION_FAILED|replicating the PingFederate cluster failed/);
      assert.equal(sim.replicationRequired, true);
      sim.clearLog();
      await provider.update!(wanted.clientId, { ...outs, name: "Coder 4" }, { ...wanted, name: "Coder 4" });
      assert.equal(sim.count("PUT"), 0);
      assert.equal(sim.replicationRequired, false);
    });

    test("a delete whose replication failed is replicated by the next delete, though the client is gone", async () => {
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      sim.settings.clustered = true;
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500 });
      await assert.rejects(provider.delete!(wanted.clientId, outs), /POST \/cluster\/replicate failed with HTTP 500/);
      assert.equal(sim.getClient(wanted.clientId), undefined);
      assert.equal(sim.replicationRequired, true);
      await provider.delete!(wanted.clientId, outs);
      assert.equal(sim.replicationRequired, false);
    });

    test("a cluster that replicates clients on save is not replicated again", async () => {
      sim.settings.clustered = true;
      sim.settings.replicateClientsOnSave = true;
      sim.clearLog();
      await create(inputs());
      assert.equal(sim.count("GET", "/cluster/status"), 1);
      assert.equal(sim.count("POST", "/cluster/replicate"), 0);
    });

    test("replicate: never does not look at the cluster", async () => {
      sim.settings.clustered = true;
      sim.clearLog();
      await create(inputs({ replicate: "never" }));
      assert.equal(sim.count(undefined, "/cluster"), 0);
      assert.equal(sim.replicationRequired, true);
    });

    test("a failed replication after create keeps the client in state and says what to do", async () => {
      sim.settings.clustered = true;
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500 });
      // The engine passes the serialized provider in with the inputs; a partial failure's properties become
      // the state as they are, and refresh/destroy load the provider from there.
      const wanted = { ...(await checked(inputs())), __provider: "exports.handler = () => provider;" };
      await assert.rejects(provider.create(wanted), (error: Error & { code?: string; id?: string; properties?: Outputs & { __provider?: string } }) => {
        assert.equal(error.code, "ERR_PF_REPLICATION_FAILED");
        assert.equal(error.id, wanted.clientId);
        assert.equal(error.properties!.__provider, wanted.__provider);
        assert.match(error.properties!.clientSecret, /^[A-Za-z0-9_-]{43}$/);
        assert.match(error.message, /was created, but replicating the PingFederate cluster failed[\s\S]*POST \/cluster\/replicate failed with HTTP 500[\s\S]*Run pulumi up again/);
        assert.ok(!error.message.includes(error.properties!.clientSecret));
        return true;
      });
      assert.ok(sim.getClient(wanted.clientId));
    });
  });

  describe("faults during provider operations", () => {
    test("a 503 during update is retried and the update goes through", async () => {
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      sim.inject({ method: "PUT", path: `/oauth/clients/${wanted.clientId}`, status: 503, retryAfter: "0" });
      await provider.update!(wanted.clientId, outs, { ...wanted, name: "After 503" });
      assert.equal(sim.getClient(wanted.clientId)!.name, "After 503");
    });

    test("a lost answer to create's POST neither fails nor makes a second client", async () => {
      const wanted = await checked(inputs());
      sim.inject({ method: "POST", path: "/oauth/clients", reset: "after" });
      sim.clearLog();
      const outs = (await provider.create(wanted)).outs!;
      assert.equal(sim.count("POST", "/oauth/clients"), 1);
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "primary");
    });

    test("a connection reset on read is retried", async () => {
      const outs = await create(inputs());
      sim.inject({ method: "GET", path: `/oauth/clients/${outs.clientId}`, reset: "before" });
      assert.equal((await provider.read!(outs.clientId, outs)).id, outs.clientId);
    });
  });

  describe("errors", () => {
    test("a 422 from create names the field PingFederate rejected", async () => {
      const wanted = await checked(inputs({ defaultAccessTokenManagerRef: { id: "no-such-atm" } }));
      await assert.rejects(provider.create(wanted), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_PF_API");
        assert.match(error.message, /POST \/oauth\/clients failed with HTTP 422[\s\S]*- defaultAccessTokenManagerRef\.id: The access token manager "no-such-atm" does not exist/);
        return true;
      });
    });

    test("bad credentials say to check the admin credentials, without the password", async () => {
      const outs = await create(inputs());
      process.env.PINGFEDERATE_ADMIN_PASSWORD = "definitely-Wrong-Password";
      await assert.rejects(provider.read!(outs.clientId, outs), (error: Error) => {
        assert.match(error.message, /HTTP 401[\s\S]*Check the admin credentials/);
        assert.ok(!inspect(error, { showHidden: true }).includes("definitely-Wrong-Password"));
        return true;
      });
    });

    test("a resource without an admin URL (as pulumi import would give) says how to adopt instead", async () => {
      await assert.rejects(provider.read!("coder", {} as Outputs), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_PF_NO_ADMIN_URL");
        assert.match(error.message, /Pulumi cannot import dynamic resources[\s\S]*set coder-oidc:adoptClientId to its id/);
        return true;
      });
    });

    test("missing credentials say both ways to give them", async () => {
      const outs = await create(inputs());
      delete process.env.PINGFEDERATE_ADMIN_USERNAME;
      delete process.env.PINGFEDERATE_ADMIN_PASSWORD;
      await assert.rejects(provider.read!(outs.clientId, outs), /PINGFEDERATE_ADMIN_USERNAME and PINGFEDERATE_ADMIN_PASSWORD[\s\S]*PINGFEDERATE_ADMIN_TOKEN[\s\S]*pulumi config set --secret/);
    });

    test("credentials delivered through configure are used when the environment has none", async () => {
      delete process.env.PINGFEDERATE_ADMIN_USERNAME;
      delete process.env.PINGFEDERATE_ADMIN_PASSWORD;
      const config = { "coder-oidc:pingfederate": JSON.stringify({ adminUrl: sim.url, username: sim.username, password: sim.password }) } as Record<string, string>;
      await provider.configure!({ config: { get: (key) => config[key], require: (key) => config[key] } });
      const outs = await create(inputs());
      assert.ok(sim.getClient(outs.clientId));
      assert.ok(!JSON.stringify(provider).includes(sim.password));
    });

    test("no secret appears in an error, even when PingFederate echoes it", async () => {
      const wanted = await checked(inputs({ secretVersion: "1" }));
      const outs = await create(wanted);
      let sent = "";
      sim.inject({
        method: "PUT",
        path: `/oauth/clients/${wanted.clientId}/clientAuth/clientSecret`,
        status: 422,
        body: (body: unknown) => {
          sent = (body as { secret: string }).secret;
          return { resultId: "validation_error", message: `bad secret ${sent}`, validationErrors: [{ fieldPath: "secret", message: sent }] };
        },
      });
      await assert.rejects(provider.update!(wanted.clientId, outs, { ...wanted, secretVersion: "2" }), (error: Error) => {
        assert.ok(sent.length > 0);
        assert.ok(!inspect(error, { showHidden: true }).includes(sent));
        assert.ok(!inspect(error, { showHidden: true }).includes(outs.clientSecret));
        return true;
      });
    });
  });

  describe("check", () => {
    const bad: { rule: string; change: Record<string, unknown>; property: string; reason: RegExp }[] = [
      { rule: "adminUrl must be https", change: { adminUrl: "http://pf.example.com:9999/pf-admin-api/v1" }, property: "adminUrl", reason: /must use https/ },
      { rule: "adminUrl is required", change: { adminUrl: undefined }, property: "adminUrl", reason: /adminUrl is required/ },
      { rule: "clientId must not be empty", change: { clientId: " " }, property: "clientId", reason: /non-empty string/ },
      { rule: "name is required", change: { name: undefined }, property: "name", reason: /non-empty string/ },
      { rule: "grant types come from PingFederate's enum", change: { grantTypes: ["AUTHORIZATION_CODE", "PASSWORD"] }, property: "grantTypes", reason: /grantTypes\[1\] must be one of .*AUTHORIZATION_CODE/ },
      { rule: "grant types must not be empty", change: { grantTypes: [] }, property: "grantTypes", reason: /must not be empty/ },
      { rule: "redirect URIs must be absolute https URLs", change: { redirectUris: ["/callback"] }, property: "redirectUris", reason: /redirectUris\[0\] must be an absolute URL/ },
      { rule: "refreshRolling comes from PingFederate's enum", change: { refreshRolling: "ALWAYS" }, property: "refreshRolling", reason: /one of SERVER_DEFAULT, DONT_ROLL, ROLL/ },
      { rule: "the grace period type comes from PingFederate's enum", change: { refreshTokenRollingGracePeriodType: "LONG" }, property: "refreshTokenRollingGracePeriodType", reason: /one of SERVER_DEFAULT, OVERRIDE_SERVER_DEFAULT/ },
      { rule: "an overriding grace period is whole seconds", change: { refreshTokenRollingGracePeriodType: "OVERRIDE_SERVER_DEFAULT", refreshTokenRollingGracePeriod: -1 }, property: "refreshTokenRollingGracePeriod", reason: /whole seconds \(0 to 2147483647\)/ },
      { rule: "an override needs a time", change: { persistentGrantIdleTimeout: undefined }, property: "persistentGrantIdleTimeout", reason: /whole number/ },
      { rule: "an override needs a unit", change: { persistentGrantExpirationTimeUnit: undefined }, property: "persistentGrantExpirationTimeUnit", reason: /is required with/ },
      { rule: "units come from PingFederate's enum", change: { persistentGrantIdleTimeoutTimeUnit: "SECONDS" }, property: "persistentGrantIdleTimeoutTimeUnit", reason: /MINUTES, HOURS, DAYS/ },
      { rule: "scopes are OAuth scope tokens", change: { restrictedScopes: ["openid", "bad scope"] }, property: "restrictedScopes", reason: /must be an OAuth scope/ },
      { rule: "requireOfflineAccessScopeToIssueRefreshTokens comes from its enum", change: { requireOfflineAccessScopeToIssueRefreshTokens: "MAYBE" }, property: "requireOfflineAccessScopeToIssueRefreshTokens", reason: /SERVER_DEFAULT, NO, YES/ },
      { rule: "replicate is auto or never", change: { replicate: "sometimes" }, property: "replicate", reason: /auto, never/ },
      { rule: "secretOverlap is whole seconds", change: { secretOverlap: 1.5 }, property: "secretOverlap", reason: /whole seconds/ },
      { rule: "references are { id }", change: { defaultAccessTokenManagerRef: { name: "x" } }, property: "defaultAccessTokenManagerRef", reason: /must be \{ id/ },
    ];
    for (const { rule, change, property, reason } of bad) {
      test(`check: ${rule}`, () => {
        const failures = checkClientInputs({ ...coderClientInputs("https://pf.example.com:9999/pf-admin-api/v1"), ...change });
        const failure = failures.find((f) => f.property === property);
        assert.ok(failure, `no failure on ${property}: ${JSON.stringify(failures)}`);
        assert.match(failure.reason, reason);
      });
    }

    test("check accepts values still unknown during preview", () => {
      const failures = checkClientInputs({
        ...coderClientInputs(UNKNOWN),
        clientId: UNKNOWN,
        redirectUris: [UNKNOWN],
        defaultAccessTokenManagerRef: UNKNOWN,
        persistentGrantIdleTimeout: UNKNOWN,
      });
      assert.deepEqual(failures, []);
    });

    test("check fills in PingFederate's defaults and drops a trailing slash from adminUrl", async () => {
      const minimal = {
        adminUrl: "https://pf.example.com:9999/pf-admin-api/v1/",
        clientId: "coder",
        name: "Coder",
        redirectUris: ["https://coder.example.com/cb"],
        grantTypes: ["AUTHORIZATION_CODE"],
        restrictScopes: false,
        restrictedScopes: [],
      } as unknown as Inputs;
      const result = await provider.check!({} as Inputs, minimal);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs, {
        ...minimal,
        adminUrl: "https://pf.example.com:9999/pf-admin-api/v1",
        refreshRolling: "SERVER_DEFAULT",
        persistentGrantExpirationType: "SERVER_DEFAULT",
        persistentGrantIdleTimeoutType: "SERVER_DEFAULT",
        requireOfflineAccessScopeToIssueRefreshTokens: "SERVER_DEFAULT",
        bypassApprovalPage: false,
        secretOverlap: 86400,
        replicate: "auto",
        insecureSkipTlsVerify: false,
      });
    });
  });

  describe("diff", () => {
    const base = () => ({ ...coderClientInputs("https://pf.example.com:9999/pf-admin-api/v1"), clientSecret: "s", serverVersion: "12.1.0.4", clientAuthType: "SECRET" });

    test("changing clientId replaces the client, creating the new one first", async () => {
      const result = await provider.diff!("coder", base(), { ...base(), clientId: "coder-2" });
      assert.deepEqual(result, { changes: true, replaces: ["clientId"], deleteBeforeReplace: false });
    });

    test("changing adminUrl replaces the client, deleting the old one first", async () => {
      const result = await provider.diff!("coder", base(), { ...base(), adminUrl: "https://pf2.example.com:9999/pf-admin-api/v1" });
      assert.deepEqual(result, { changes: true, replaces: ["adminUrl"], deleteBeforeReplace: true });
    });

    test("a trailing slash on adminUrl and an unset description are not changes", async () => {
      const result = await provider.diff!("coder", base(), { ...base(), adminUrl: "https://pf.example.com:9999/pf-admin-api/v1/", description: undefined });
      assert.equal(result.changes, false);
    });

    test("a change of secretVersion, secretOverlap or TLS settings is an update, never a replacement", () => {
      for (const change of [{ secretVersion: "2" }, { secretOverlap: 60 }, { caCertificate: "-----BEGIN CERTIFICATE-----" }, { insecureSkipTlsVerify: true }]) {
        const result = diffClient(base(), { ...base(), ...change });
        assert.deepEqual(result.replaces, []);
        assert.deepEqual(result.changes, Object.keys(change));
      }
    });

    test("an unknown value (preview) counts as a change", () => {
      assert.ok(diffClient(base(), { ...base(), redirectUris: [UNKNOWN] }).changes.includes("redirectUris"));
    });
  });
});

describe("PingFederate OAuth client provider on a server older than 12.1", () => {
  let old: PfAdminSim;
  before(async () => {
    old = await startPfAdminSim({ version: "12.0.2", commonScopes: WITH_OFFLINE_ACCESS });
    useCredentials(old);
  });
  after(() => old.close());

  test("the 12.1 offline-access field is neither sent nor reported as drift", async () => {
    const wanted = await checked(coderClientInputs(old.url, { clientId: uniqueId("coder-old") }));
    const outs = await create(wanted);
    const posted = old.requests.find((r) => r.method === "POST" && r.path === "/oauth/clients")!.body as Record<string, unknown>;
    assert.equal("requireOfflineAccessScopeToIssueRefreshTokens" in posted, false);
    assert.equal(outs.serverVersion, "12.0.2");
    const read = await readBack(outs);
    assert.equal(read.requireOfflineAccessScopeToIssueRefreshTokens, undefined);
    assert.equal((await provider.diff!(outs.clientId, read, wanted)).changes, false);
    await provider.update!(outs.clientId, read, { ...wanted, name: "Still 12.0" });
    assert.equal(old.getClient(outs.clientId)!.name, "Still 12.0");
  });
});

describe("PingFederate common scope provider", () => {
  let sim: PfAdminSim;
  const scope = (overrides: Record<string, unknown> = {}) => ({ adminUrl: sim.url, name: "offline_access", description: "Offline access", ...overrides });

  before(async () => {
    sim = await startPfAdminSim({ clustered: true });
    useCredentials(sim);
  });
  after(() => sim.close());

  test("creates offline_access when it is missing, through the scopes sub-resource only", async () => {
    assert.equal(sim.hasCommonScope("offline_access"), false);
    sim.clearLog();
    const checkedScope = await scopeProvider.check!({} as never, scope() as never);
    assert.deepEqual(checkedScope.failures, []);
    const result = await scopeProvider.create(checkedScope.inputs!);
    assert.equal(result.id, "offline_access");
    assert.equal(result.outs!.adopted, false);
    assert.equal(sim.hasCommonScope("offline_access"), true);
    assert.equal(sim.count("POST", "/oauth/authServerSettings/scopes/commonScopes"), 1);
    assert.equal(sim.count("PUT", "/oauth/authServerSettings"), 0);
    assert.equal(sim.count("POST", "/cluster/replicate"), 1);
  });

  test("adopts a scope that exists and changes nothing", async () => {
    sim.clearLog();
    const result = await scopeProvider.create(scope({ description: "Another description" }) as never);
    assert.equal(result.outs!.adopted, true);
    assert.equal(sim.count("POST"), 0);
    assert.equal(sim.count("PUT"), 0);
  });

  test("read reports a scope deleted by hand as gone", async () => {
    const result = await scopeProvider.create(scope() as never);
    sim.removeCommonScope("offline_access");
    assert.deepEqual(await scopeProvider.read!("offline_access", result.outs!), { id: "" });
  });

  test("destroy leaves the scope in place", async () => {
    const result = await scopeProvider.create(scope() as never);
    sim.clearLog();
    await scopeProvider.delete!("offline_access", result.outs!);
    assert.equal(sim.requests.length, 0);
    assert.equal(sim.hasCommonScope("offline_access"), true);
  });

  test("a new name replaces the resource; a new description is not a change", async () => {
    const olds = { ...scope(), adopted: true, replicate: "auto" as const, insecureSkipTlsVerify: false };
    assert.deepEqual((await scopeProvider.diff!("offline_access", olds, { ...olds, name: "offline" })).replaces, ["name"]);
    assert.equal((await scopeProvider.diff!("offline_access", olds, { ...olds, description: "new words" })).changes, false);
  });

  test("check rejects a scope name that is not an OAuth scope token", async () => {
    const result = await scopeProvider.check!({} as never, scope({ name: "offline access" }) as never);
    assert.match(result.failures![0].reason, /must be an OAuth scope/);
  });
});
