/**
 * Every request body the providers send, and every answer the simulator gives, checked against PingFederate's
 * official 12.1 schemas (../shared/reference, read in place and never copied). Objects are checked strictly:
 * a field the schema does not define is an error, so a misspelt field name cannot slip through.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test, type TestContext } from "node:test";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { pingFederateClientProvider as provider, pingFederateScopeProvider as scopeProvider } from "../../../idps/pingfederate/provider";
import { coderClientInputs, type LoggedRequest, type PfAdminSim, startPfAdminSim } from "../../../e2e/support/pf-admin-sim";
import { REFERENCE_DIR } from "../../support/api-schema";

const SCHEMA_FILE = resolve(REFERENCE_DIR, "pingfederate-admin-api-12.1.schemas.json");

/** The schema each request body must match, by method and path. */
function requestSchema(r: LoggedRequest): string | undefined {
  if (r.path === "/oauth/clients" && r.method === "POST") return "Client";
  if (/^\/oauth\/clients\/[^/]+$/.test(r.path) && r.method === "PUT") return "Client";
  if (/^\/oauth\/clients\/[^/]+\/clientAuth\/clientSecret$/.test(r.path) && r.method === "PUT") return "ClientSecret";
  if (r.path === "/oauth/authServerSettings/scopes/commonScopes" && r.method === "POST") return "ScopeEntry";
  return undefined;
}

/** The schema each successful answer must match. */
function responseSchema(r: LoggedRequest): string | undefined {
  if (r.status >= 400) return r.response === undefined ? undefined : "ApiResult";
  if (r.path === "/version") return "Version";
  if (r.path === "/cluster/status") return "ClusterStatus";
  if (r.path === "/cluster/replicate") return "ApiResult";
  if (r.path.startsWith("/oauth/clients?") || r.path === "/oauth/clients" && r.method === "GET") return "Clients";
  if (/\/clientAuth\/clientSecret$/.test(r.path)) return "ClientSecret";
  if (r.path.startsWith("/oauth/clients")) return r.status === 204 ? undefined : "Client";
  if (r.path.startsWith("/oauth/authServerSettings/scopes/")) return r.status === 204 ? undefined : "ScopeEntry";
  return undefined;
}

/** A copy of the schemas in which every object allows only the properties it defines. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === "properties" ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strict(v)])) : strict(value);
  if (copy.type === "object" && copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

/**
 * PingFederate's official schemas (made strict), as `pf#/components/schemas/<Name>`; undefined, with a
 * diagnostic saying why, when ../shared/reference is not there to read them from.
 */
function officialSchemas(t: TestContext): Ajv | undefined {
  if (!existsSync(SCHEMA_FILE)) {
    // CI checks out ../shared/reference: there, a missing schema file is a failure, never a silent pass.
    assert.notEqual(process.env.CI, "true", `${SCHEMA_FILE} is absent: CI must validate against the official schemas`);
    t.diagnostic(`not validated against the official schemas: ${SCHEMA_FILE} is absent (../shared/reference is not checked out)`);
    return undefined;
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: "pf", components: { schemas: strict(JSON.parse(readFileSync(SCHEMA_FILE, "utf8"))) } });
  return ajv;
}

describe("admin API traffic matches PingFederate's official 12.1 schemas", () => {
  let sim: PfAdminSim;
  const traffic: LoggedRequest[] = [];

  before(async () => {
    sim = await startPfAdminSim({ clustered: true, commonScopes: [{ name: "profile", description: "Profile" }, { name: "email", description: "Email" }] });
    process.env.PINGFEDERATE_ADMIN_USERNAME = sim.username;
    process.env.PINGFEDERATE_ADMIN_PASSWORD = sim.password;

    // Everything the providers ever send: scope, create, drift repair, update, rotation, adoption, 422, delete.
    const scope = await scopeProvider.check!({} as never, { adminUrl: sim.url, name: "offline_access", description: "Offline access" } as never);
    await scopeProvider.create(scope.inputs!);
    const wanted = (await provider.check!({} as never, coderClientInputs(sim.url, {
      secretVersion: "1",
      defaultAccessTokenManagerRef: { id: "coderAtm" },
      oidcPolicy: { policyGroup: { id: "coderOidcPolicy" } },
    }))).inputs!;
    const created = (await provider.create(wanted)).outs!;
    sim.editClient(wanted.clientId, (c) => {
      c.grantTypes = ["AUTHORIZATION_CODE"];
      c.logoUrl = "https://logo.example.com/coder.png";
      c.oidcPolicy = { ...(c.oidcPolicy as object), logoutUris: ["https://coder.example.com/logout"], idTokenSigningAlgorithm: "RS256" };
    });
    const read = (await provider.read!(wanted.clientId, created)).props!;
    const updated = (await provider.update!(wanted.clientId, read, { ...wanted, name: "Coder (prod)", secretVersion: "2" })).outs!;
    await provider.update!(wanted.clientId, updated, { ...wanted, name: "Coder (prod)", secretVersion: "3", oidcPolicy: undefined, defaultAccessTokenManagerRef: undefined });
    sim.editClient(wanted.clientId, (c) => { c.clientAuth = { type: "NONE" }; });
    await provider.update!(wanted.clientId, updated, { ...wanted, secretVersion: "3" });
    await provider.delete!(wanted.clientId, updated);

    sim.addClientByHand({ clientId: "hand-made", name: "Hand made", grantTypes: ["AUTHORIZATION_CODE"], redirectUris: ["https://old.example.com/cb"] }, "an-old-hand-made-secret");
    await provider.create({ ...wanted, clientId: "hand-made", adoptClientId: "hand-made" });
    // Two refused requests, so that error answers are in the traffic too: each must fail, and for its reason.
    await assert.rejects(provider.create({ ...wanted, clientId: "rejected", defaultAccessTokenManagerRef: { id: "missing" } }),
      /access token manager "missing" does not exist/);
    await assert.rejects(provider.create({ ...wanted, clientId: "hand-made" }), /already has an OAuth client "hand-made"/);
    traffic.push(...sim.requests);
  });
  after(() => sim.close());

  test("every request body the providers send is valid against the official schema", (t) => {
    const withBodies = traffic.filter((r) => r.body !== undefined);
    assert.ok(withBodies.length >= 7, "the scenario sent too few bodies");
    for (const r of withBodies) assert.ok(requestSchema(r), `unexpected body on ${r.method} ${r.path}`);
    assert.deepEqual(new Set(withBodies.map(requestSchema)), new Set(["Client", "ClientSecret", "ScopeEntry"]));
    const ajv = officialSchemas(t);
    if (!ajv) return;
    for (const r of withBodies) {
      const validate = ajv.getSchema(`pf#/components/schemas/${requestSchema(r)}`)!;
      assert.ok(validate(r.body), `${r.method} ${r.path} body is not a valid ${requestSchema(r)}: ${ajv.errorsText(validate.errors)}`);
    }
  });

  test("every answer of the simulator is valid against the official schema", (t) => {
    const ajv = officialSchemas(t);
    if (!ajv) return;
    let checked = 0;
    for (const r of traffic) {
      const name = responseSchema(r);
      if (!name || r.response === undefined) continue;
      const validate = ajv.getSchema(`pf#/components/schemas/${name}`)!;
      assert.ok(validate(r.response), `${r.method} ${r.path} answer is not a valid ${name}: ${ajv.errorsText(validate.errors)}`);
      checked++;
    }
    assert.ok(checked >= 15, `only ${checked} answers checked`);
  });

  test("no request ever PUTs all authorization-server settings", () => {
    assert.equal(traffic.filter((r) => r.path === "/oauth/authServerSettings").length, 0);
  });
});
