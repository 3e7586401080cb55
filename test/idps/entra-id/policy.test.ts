import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  requireEntraGraphRefreshScopes,
  requireEntraNoImplicitGrant,
  requireEntraNoPublicClientFlows,
  requireEntraSecretEndDate,
  requireEntraSecretNotExpiring,
} from "../../../idps/entra-id/policy";
import { ENTRA_APPLICATION, GRAPH_APP_ID, GRAPH_SCOPE_IDS } from "../../policy/fixtures";
import { UNKNOWN_STRING, validateResource } from "../../policy/support";

const APP = "azuread:index/application:Application";
const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const app = (props: Record<string, unknown> = {}) => ({ type: APP, name: "coder-app", props: { ...ENTRA_APPLICATION, ...props } });

describe("entra-application-no-public-client-flows", () => {
  const policy = requireEntraNoPublicClientFlows("public");
  it("passes a confidential web app", async () => assert.deepEqual((await validateResource(policy, app())).violations, []));
  it("fails fallbackPublicClientEnabled: true", async () => {
    assert.match((await validateResource(policy, app({ fallbackPublicClientEnabled: true }))).violations[0], /fallbackPublicClientEnabled is true; set it to false/);
  });
  it("fails public-client redirect URIs", async () => {
    assert.match((await validateResource(policy, app({ publicClient: { redirectUris: ["http://localhost"] } }))).violations[0], /publicClient\.redirectUris/);
  });
});

describe("entra-application-no-implicit-grant", () => {
  const policy = requireEntraNoImplicitGrant("implicit");
  it("passes the implicit grant off", async () => assert.deepEqual((await validateResource(policy, app())).violations, []));
  it("fails ID tokens through the implicit grant", async () => {
    const web = { ...ENTRA_APPLICATION.web, implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: true } };
    assert.match((await validateResource(policy, app({ web }))).violations[0], /web\.implicitGrant\.idTokenIssuanceEnabled is true/);
  });
});

describe("entra-application-graph-refresh-scopes", () => {
  const policy = requireEntraGraphRefreshScopes("graph");
  it("passes the four Graph scopes", async () => assert.deepEqual((await validateResource(policy, app())).violations, []));
  it("fails without offline_access, naming it", async () => {
    const accesses = [{ resourceAppId: GRAPH_APP_ID, resourceAccesses: [GRAPH_SCOPE_IDS.openid, GRAPH_SCOPE_IDS.profile, GRAPH_SCOPE_IDS.email].map((id) => ({ id, type: "Scope" })) }];
    const { violations } = await validateResource(policy, app({ requiredResourceAccesses: accesses }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /lacks Microsoft Graph's delegated offline_access/);
  });
  it("fails the ids granted as application roles instead of delegated scopes", async () => {
    const accesses = [{ resourceAppId: GRAPH_APP_ID, resourceAccesses: Object.values(GRAPH_SCOPE_IDS).map((id) => ({ id, type: "Role" })) }];
    assert.match((await validateResource(policy, app({ requiredResourceAccesses: accesses }))).violations[0], /openid, profile, email, offline_access/);
  });
  it("does not fail while the accesses are unknown", async () => {
    assert.deepEqual((await validateResource(policy, app({ requiredResourceAccesses: UNKNOWN_STRING }), { proxy: true })).violations, []);
  });
});

describe("Entra client secret end date", () => {
  const now = () => Date.parse("2026-12-01T00:00:00Z");
  const password = (endDate: unknown) => ({ type: PASSWORD, name: "coder-secret", props: { applicationId: UNKNOWN_STRING, displayName: "Coder", endDate } });
  const endDate = requireEntraSecretEndDate("end", now);
  const soon = requireEntraSecretNotExpiring("soon", now);
  it("passes an end date 180 days out, with no advisory", async () => {
    assert.deepEqual((await validateResource(endDate, password("2027-05-30T00:00:00Z"))).violations, []);
    assert.deepEqual((await validateResource(soon, password("2027-05-30T00:00:00Z"))).violations, []);
  });
  it("fails an end date more than two years out", async () => {
    assert.match((await validateResource(endDate, password("2029-01-01T00:00:00Z"))).violations[0], /762 days out; keep it within 730 days/);
  });
  it("fails a secret without an end date", async () => {
    assert.match((await validateResource(endDate, password(undefined))).violations[0], /no endDate/);
  });
  it("advises rotating a secret that ends within 30 days", async () => {
    assert.equal(soon.enforcementLevel, "advisory");
    assert.match((await validateResource(soon, password("2026-12-20T00:00:00Z"))).violations[0], /ends in 19 days.*secretRotation to "2026-12"/);
  });
  it("does not fail an unknown end date", async () => {
    assert.deepEqual((await validateResource(endDate, password(UNKNOWN_STRING), { proxy: true })).violations, []);
  });
});
