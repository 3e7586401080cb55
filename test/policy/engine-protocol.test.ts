/**
 * The pack as the engine runs it: started by @pulumi/pulumi's run-policy-pack in its own folder (what
 * `pulumi preview --policy-pack policy` launches), then asked over the analyzer gRPC protocol, so the
 * engine-side deserialization and unknown-checking proxy are the real ones.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
// The engine's protocol, from @pulumi/pulumi's own generated stubs and the gRPC/protobuf packages it ships with.
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Client = InstanceType<typeof analyzerRpc.AnalyzerClient>;

function startPack(): Promise<{ child: ChildProcess; port: number }> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the pack printed no port in 60 s; stderr: ${stderr}`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) { clearTimeout(timer); resolve({ child, port: Number(match[1]) }); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`run-policy-pack exited ${code}: ${stderr}`)); });
  });
}

function call<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

interface Diagnostic { policy: string; level: number; message: string }
const diagnostics = (res: analyzer.AnalyzeResponse): Diagnostic[] =>
  res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));

function resourceRequest(type: string, name: string, props: Record<string, unknown>): analyzer.AnalyzeRequest {
  return new analyzer.AnalyzeRequest().setType(type).setName(name)
    .setUrn(`urn:pulumi:dev::coder-oidc::${type}::${name}`).setProperties(Struct.fromJavaScript(props as never))
    .setOptions(new analyzer.AnalyzerResourceOptions());
}

describe("the policy pack under the engine's analyzer protocol", () => {
  let pack: ChildProcess;
  let client: Client;
  before(async () => {
    const started = await startPack();
    pack = started.child;
    client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });
  after(() => { client?.close(); pack?.kill(); });

  it("announces every rule, named in kebab-case", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    assert.equal(info.getName(), "coder-oidc");
    const names = info.getPoliciesList().map((p) => p.getName());
    assert.ok(names.includes("keycloak-client-confidential"));
    assert.ok(names.includes("pingfederate-client-refresh-grants"));
  });

  it("fails a PUBLIC Keycloak client with a mandatory diagnostic saying what to set", async () => {
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), resourceRequest("keycloak:openid/client:Client", "coder-client", {
      realmId: "engineering", clientId: "coder", accessType: "PUBLIC", standardFlowEnabled: true,
      validRedirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
    }));
    const found = diagnostics(res).filter((d) => d.policy === "keycloak-client-confidential");
    assert.equal(found.length, 1);
    assert.equal(found[0].level, analyzer.EnforcementLevel.MANDATORY);
    assert.match(found[0].message, /set accessType: "CONFIDENTIAL"/);
  });

  it("reports nothing, not even 'can't run during preview', for values unknown during preview", async () => {
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), resourceRequest("keycloak:openid/client:Client", "coder-client", {
      realmId: "engineering", clientId: "coder", accessType: UNKNOWN, standardFlowEnabled: true, validRedirectUris: UNKNOWN,
      accessTokenLifespan: UNKNOWN, clientOfflineSessionIdleTimeout: "2592000",
    }));
    assert.deepEqual(diagnostics(res), []);
  });

  it("matches the PingFederate dynamic resource by its type token", async () => {
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), resourceRequest("pulumi-nodejs:dynamic/pingfederate:OAuthClient", "coder-client", {
      clientId: "coder", name: "Coder", grantTypes: ["AUTHORIZATION_CODE"], restrictScopes: true,
      restrictedScopes: ["openid", "offline_access"], __provider: "exports.handler = …",
    }));
    assert.deepEqual(diagnostics(res).map((d) => d.policy), ["pingfederate-client-refresh-grants"]);
  });

  it("checks the stack outputs: Google with offline_access fails", async () => {
    const resource = (type: string, name: string, props: Record<string, unknown>) => new analyzer.AnalyzerResource()
      .setType(type).setName(name).setUrn(`urn:pulumi:dev::coder-oidc::${type}::${name}`).setProperties(Struct.fromJavaScript(props as never))
      .setOptions(new analyzer.AnalyzerResourceOptions());
    const req = new analyzer.AnalyzeStackRequest().setResourcesList([
      resource("pulumi:pulumi:Stack", "coder-oidc-dev", { CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline","prompt":"consent"}' }),
      resource("coder-oidc:providers:GoogleCoderClient", "coder", {}),
    ]);
    const res = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack.bind(client), req);
    const found = diagnostics(res).filter((d) => d.policy === "coder-settings-ask-for-refresh-tokens");
    assert.equal(found.length, 1);
    assert.match(found[0].message, /Google rejects/);
  });
});
