/**
 * The dynamic providers at the edges a careless change would move: the common scope's diff, the errors the engine
 * reads (and nobody else sees), the common scope's read and update, and what create, adoption, update and rotation
 * send, over HTTP to the simulator. (What the client's diff compares: diff.test.ts.)
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { inspect } from "node:util";
import { pfAdminApi } from "../../../idps/pingfederate/admin-api";
import type { AdminCredentials } from "../../../idps/pingfederate/credentials";
import type { PfCommonScopeOutputs, PfOAuthClientInputs, PfOAuthClientOutputs } from "../../../idps/pingfederate/inputs";
import { diffClient } from "../../../idps/pingfederate/diff";
import { pingFederateClientProvider as provider, pingFederateScopeProvider as scopeProvider } from "../../../idps/pingfederate/provider";
import { coderClientInputs, type PfAdminSim, startPfAdminSim, uniqueId } from "../../../e2e/support/pf-admin-sim";

const ADMIN_URL = "https://pf.example.com:9999/pf-admin-api/v1";
type Props = Record<string, unknown>;

/** Asserts that `call` fails with a message matching `pattern` (the message alone, not the error's name). */
async function rejectsWithMessage(call: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(call, (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

describe("diff of an OAuth client", () => {
  const state = (change: Props = {}): Props => ({
    ...coderClientInputs(ADMIN_URL), clientSecret: "s", serverVersion: "12.1.0.4", clientAuthType: "SECRET", ...change,
  });

  it("tells the engine to delete first only when the client stays the same id on another admin URL", async () => {
    const diff = (olds: Props, news: Props) => provider.diff!("coder", olds as never, news as never);
    assert.deepEqual(await diff(state(), state()), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await diff(state(), state({ name: "Coder 2" })), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await diff(state(), state({ clientId: "coder-2", adminUrl: "https://pf2.example.com/pf-admin-api/v1" })),
      { changes: true, replaces: ["clientId", "adminUrl"], deleteBeforeReplace: false });
  });
});

describe("diff of a common scope", () => {
  const olds = { adminUrl: ADMIN_URL, name: "offline_access", description: "Offline access", replicate: "auto", insecureSkipTlsVerify: false, adopted: false } as const;
  const diff = (news: Props) => scopeProvider.diff!("offline_access", olds as PfCommonScopeOutputs, { ...olds, ...news } as never);

  it("is an update for each connection setting, and nothing for the defaults", async () => {
    for (const change of [{ replicate: "never" }, { caCertificate: "/etc/pf/ca.pem" }, { insecureSkipTlsVerify: true }]) {
      assert.deepEqual(await diff(change), { changes: true, replaces: [] }, JSON.stringify(change));
    }
    assert.deepEqual(await diff({ replicate: undefined, insecureSkipTlsVerify: undefined, caCertificate: "" }), { changes: false, replaces: [] });
    assert.deepEqual(await diff({ adminUrl: `${ADMIN_URL}/` }), { changes: false, replaces: [] });
  });

  it("replaces the scope for a new admin URL or name", async () => {
    assert.deepEqual(await diff({ adminUrl: "https://pf2.example.com/pf-admin-api/v1" }), { changes: true, replaces: ["adminUrl"] });
    assert.deepEqual(await diff({ name: "offline", adminUrl: "https://pf2.example.com/pf-admin-api/v1" }), { changes: true, replaces: ["name", "adminUrl"] });
  });
});

describe("the providers against the simulator, at the edges", () => {
  let sim: PfAdminSim;
  let admin: AdminCredentials;
  const inputs = (overrides: Partial<PfOAuthClientInputs> = {}) => coderClientInputs(sim.url, { clientId: uniqueId("edge"), ...overrides });
  const checked = async (wanted: PfOAuthClientInputs) => {
    const result = await provider.check!({} as PfOAuthClientInputs, wanted);
    assert.deepEqual(result.failures, []);
    return result.inputs!;
  };
  const create = async (wanted: PfOAuthClientInputs): Promise<PfOAuthClientOutputs> => (await provider.create(await checked(wanted))).outs!;
  const bodiesOf = (method: string, path: string) => sim.requests.filter((r) => r.method === method && r.path === path).map((r) => r.body as Props);

  before(async () => {
    sim = await startPfAdminSim({ commonScopes: ["openid", "profile", "email", "offline_access"].map((name) => ({ name, description: name })) });
    admin = { kind: "basic", username: sim.username, password: sim.password };
    process.env.PINGFEDERATE_ADMIN_USERNAME = sim.username;
    process.env.PINGFEDERATE_ADMIN_PASSWORD = sim.password;
  });
  after(async () => {
    delete process.env.PINGFEDERATE_ADMIN_USERNAME;
    delete process.env.PINGFEDERATE_ADMIN_PASSWORD;
    await sim.close();
  });
  afterEach(() => {
    sim.clearFaults();
    sim.settings.clustered = false;
  });

  describe("errors for the engine", () => {
    it("show only their name, code and message to inspect, JSON and enumeration; the engine's fields stay readable", async () => {
      const wanted = inputs();
      sim.addClientByHand({ clientId: wanted.clientId, name: "By hand", grantTypes: ["CLIENT_CREDENTIALS"] });
      const error = await provider.create(await checked(wanted)).then(() => assert.fail("expected a refusal"), (e: unknown) => e as Error & Props);
      const message = `PingFederate already has an OAuth client "${wanted.clientId}" (name "By hand"); this stack will not overwrite it.\n` +
        "To adopt it (its secret and every setting this stack does not manage are kept, the managed ones are set), run " +
        `pulumi config set coder-oidc:adoptClientId ${wanted.clientId} and pulumi up.\n` +
        "Otherwise choose another coder-oidc:clientId, or delete that client in PingFederate (Applications > OAuth > Clients).";
      assert.equal(error.message, message);
      assert.equal(error.name, "PingFederateProviderError");
      assert.equal(error.code, "ERR_PF_CLIENT_EXISTS");
      assert.equal(error.__pulumiRunError, true);
      assert.deepEqual(Object.keys(error).sort(), ["__pulumiRunError", "code", "name"]);
      assert.equal(JSON.stringify(error), JSON.stringify({ name: "PingFederateProviderError", code: "ERR_PF_CLIENT_EXISTS", message }));
      assert.equal(inspect(error), `PingFederateProviderError [ERR_PF_CLIENT_EXISTS]: ${message}`);
      assert.equal(error.clientId, wanted.clientId);
      assert.deepEqual(Object.getOwnPropertyDescriptor(error, "clientId"),
        { value: wanted.clientId, enumerable: false, writable: true, configurable: false });
    });

    it("a state without an admin URL (an import) says how to adopt instead, for both resources", async () => {
      const said = "The PingFederate admin URL is not known for this resource (Pulumi cannot import dynamic resources); to take " +
        "over an existing client, set coder-oidc:adoptClientId to its id and run pulumi up.";
      for (const read of [() => provider.read!("coder", {} as PfOAuthClientOutputs), () => provider.read!("coder", { adminUrl: "" } as PfOAuthClientOutputs),
        () => scopeProvider.read!("offline_access", undefined as never)]) {
        await assert.rejects(read(), (error: Error & Props) => {
          assert.equal(error.message, said);
          assert.equal(error.code, "ERR_PF_NO_ADMIN_URL");
          return true;
        });
      }
    });

    it("a failed replication names what was done: updated, or already up to date", async () => {
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      sim.settings.clustered = true;
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500, times: 2 });
      await rejectsWithMessage(provider.update!(wanted.clientId, outs, { ...wanted, name: "Coder 2" }),
        new RegExp(`^The client "${wanted.clientId}" was updated, but replicating the PingFederate cluster failed, so the engines do not have the change yet: `));
      await rejectsWithMessage(provider.update!(wanted.clientId, { ...outs, name: "Coder 2" }, { ...wanted, name: "Coder 2" }),
        new RegExp(`^The client "${wanted.clientId}" is up to date, but replicating the PingFederate cluster failed`));
    });
  });

  describe("the connection", () => {
    it("trims every trailing slash of adminUrl", async () => {
      assert.equal((await checked(inputs({ adminUrl: `${sim.url}//` }))).adminUrl, sim.url);
      const scope = await scopeProvider.check!({} as never, { adminUrl: `${sim.url}///`, name: "openid", description: "OpenID" } as never);
      assert.equal(scope.inputs!.adminUrl, sim.url);
    });

    it("skips TLS verification only when insecureSkipTlsVerify is true", async () => {
      const outs = await create(inputs({ adminUrl: sim.httpsUrl, insecureSkipTlsVerify: true }));
      assert.equal((await provider.read!(outs.clientId, outs)).id, outs.clientId);
      await assert.rejects(provider.read!(outs.clientId, { ...outs, insecureSkipTlsVerify: false }), /TLS certificate is not trusted/);
    });
  });

  describe("what is sent", () => {
    it("a new client: bypassApprovalPage as given, no OIDC policy, no grace period without an override", async () => {
      const wanted = inputs({ bypassApprovalPage: false, refreshRolling: "ROLL", refreshTokenRollingGracePeriodType: "SERVER_DEFAULT", refreshTokenRollingGracePeriod: 100 });
      sim.clearLog();
      await create(wanted);
      const [body] = bodiesOf("POST", "/oauth/clients");
      assert.equal(body.bypassApprovalPage, false);
      assert.equal(body.refreshTokenRollingGracePeriodType, "SERVER_DEFAULT");
      assert.ok(!("refreshTokenRollingGracePeriod" in body));
      assert.ok(!("oidcPolicy" in body));
      assert.deepEqual(body.clientAuth, { type: "SECRET", secret: (body.clientAuth as Props).secret });
    });

    it("an update keeps a description set by hand when the inputs set none, and does not report it", async () => {
      const wanted = await checked(inputs({ description: undefined }));
      const outs = await create(wanted);
      assert.ok(!("description" in outs));
      sim.editClient(wanted.clientId, (c) => { c.description = "Written by hand"; });
      const read = (await provider.read!(wanted.clientId, outs)).props!;
      assert.ok(!("description" in read));
      await provider.update!(wanted.clientId, read, { ...wanted, name: "Coder renamed" });
      assert.equal(sim.getClient(wanted.clientId)!.description, "Written by hand");
      assert.equal(sim.getClient(wanted.clientId)!.name, "Coder renamed");
    });

    it("a description the inputs set but the client lacks reads back as empty", async () => {
      const wanted = await checked(inputs({ description: "Coder" }));
      const outs = await create(wanted);
      sim.editClient(wanted.clientId, (c) => { delete c.description; });
      assert.equal((await provider.read!(wanted.clientId, outs)).props!.description, "");
    });

    it("an update puts the secret back when someone switched the client to another authentication", async () => {
      const wanted = await checked(inputs());
      const outs = await create(wanted);
      sim.editClient(wanted.clientId, (c) => { c.clientAuth = { type: "NONE" }; });
      const read = (await provider.read!(wanted.clientId, outs)).props!;
      assert.equal(read.clientAuthType, "NONE");
      assert.deepEqual(diffClient(read as never, wanted as never).changes, ["clientAuth"]);
      sim.clearLog();
      const updated = (await provider.update!(wanted.clientId, read, wanted)).outs!;
      const [body] = bodiesOf("PUT", `/oauth/clients/${wanted.clientId}`);
      assert.deepEqual(body.clientAuth, { type: "SECRET", secret: outs.clientSecret });
      assert.equal(updated.clientAuthType, "SECRET");
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "primary");
    });

    it("adoption keeps the secret a client has, and gives one only to a client that has none", async () => {
      const adopt = async (auth: "public" | "secret") => {
        const wanted = await checked(inputs());
        sim.addClientByHand({ clientId: wanted.clientId, name: "By hand", grantTypes: ["AUTHORIZATION_CODE"] }, auth === "secret" ? "old-secret-0123456789" : undefined);
        sim.clearLog();
        const outs = (await provider.create(await checked({ ...wanted, adoptClientId: wanted.clientId }))).outs!;
        const [body] = bodiesOf("PUT", `/oauth/clients/${wanted.clientId}`);
        return { outs, auth: body.clientAuth as Props, wanted };
      };
      const kept = await adopt("secret");
      assert.equal(kept.outs.clientSecret, undefined);
      assert.equal(kept.auth.secret, undefined, "the adopted secret is sent back encrypted, not replaced");
      assert.equal(sim.secretStatus(kept.wanted.clientId, "old-secret-0123456789"), "primary");
      const given = await adopt("public");
      assert.match(given.outs.clientSecret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(given.auth.type, "SECRET");
      assert.equal(sim.secretStatus(given.wanted.clientId, given.outs.clientSecret), "primary");
    });

    it("a rotation passes on the secondary secrets that still work, and drops the expired ones", async () => {
      const wanted = await checked(inputs({ secretOverlap: 3600 }));
      const outs = await create(wanted);
      const api = pfAdminApi({ adminUrl: sim.url, credentials: admin });
      await api.updateClientSecret(wanted.clientId, {
        secret: outs.clientSecret,
        secondarySecrets: [
          { secret: "expired-secret-0123456789", expiryTime: new Date(Date.now() - 60_000).toISOString() },
          { secret: "working-secret-0123456789", expiryTime: new Date(Date.now() + 600_000).toISOString() },
        ],
      });
      api.close();
      sim.clearLog();
      const rotated = (await provider.update!(wanted.clientId, outs, { ...wanted, secretVersion: "2" })).outs!;
      const [body] = bodiesOf("PUT", `/oauth/clients/${wanted.clientId}/clientAuth/clientSecret`);
      assert.equal((body.secondarySecrets as Props[]).length, 2);
      assert.equal(sim.secretStatus(wanted.clientId, rotated.clientSecret), "primary");
      assert.equal(sim.secretStatus(wanted.clientId, outs.clientSecret), "secondary");
      assert.equal(sim.secretStatus(wanted.clientId, "working-secret-0123456789"), "secondary");
      assert.equal(sim.secretStatus(wanted.clientId, "expired-secret-0123456789"), undefined);
    });
  });

  describe("the common scope", () => {
    const scope = (overrides: Props = {}) => ({ adminUrl: sim.url, name: "openid", description: "Ours", replicate: "auto", insecureSkipTlsVerify: false, ...overrides });

    it("read reports the live scope, adopted or not, and its inputs without `adopted`", async () => {
      const state = { ...scope(), adopted: true } as PfCommonScopeOutputs;
      assert.deepEqual(await scopeProvider.read!("openid", state), { id: "openid", props: state, inputs: scope() });
      const unknownAdoption = { ...scope() } as unknown as PfCommonScopeOutputs;
      assert.deepEqual((await scopeProvider.read!("openid", unknownAdoption)).props, { ...scope(), adopted: false });
    });

    it("update keeps the description and adoption it had, and catches up a replication", async () => {
      sim.settings.clustered = true;
      // A change that waits for replication (made without replicating).
      await create(inputs({ replicate: "never" }));
      assert.equal(sim.replicationRequired, true);
      const olds = { ...scope({ description: "Theirs" }), adopted: true } as PfCommonScopeOutputs;
      const result = await scopeProvider.update!("openid", olds, scope({ replicate: "auto", description: "Ours" }) as never);
      assert.deepEqual(result, { outs: { ...scope(), description: "Theirs", adopted: true } });
      assert.equal(sim.replicationRequired, false);
      await create(inputs({ replicate: "never" }));
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500 });
      await rejectsWithMessage(scopeProvider.update!("openid", olds, scope() as never),
        /^The scope "openid" is up to date, but replicating the PingFederate cluster failed/);
    });

    it("create sends a static scope, keeps the description the API answers with, and names a failed replication", async () => {
      sim.settings.clustered = true;
      sim.clearLog();
      const name = uniqueId("scope").replace(/[^a-z0-9_]/gi, "_");
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500 });
      await rejectsWithMessage(scopeProvider.create(scope({ name, description: "Made here" }) as never),
        new RegExp(`^The scope "${name}" was created, but replicating the PingFederate cluster failed`));
      assert.deepEqual(bodiesOf("POST", "/oauth/authServerSettings/scopes/commonScopes"), [{ name, description: "Made here", dynamic: false }]);
    });
  });
});
