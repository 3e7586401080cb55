import { idpOf } from "../../../idps/registry";
/**
 * `coder-oidc verify` (cli/verify/index.ts) in this process: where it takes Coder's settings from (a dotenv file, or a
 * deployed stack through the Pulumi CLI), the IdP-side checks it adds (Keycloak's admin API, the PingFederate
 * client, over HTTP to peers on 127.0.0.1), how it prints them, and every refusal.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../../engine/automation";
import { runVerify, verify as verifyChecks } from "../../../cli/verify";
import { type Finding, manualChecks } from "../../../src/verify/core";
import { pfAdminApi } from "../../../idps/pingfederate/admin-api";
import { assertHelpLists, runInProcess } from "../../support/in-process";
import { startOp, type TestOp } from "../../support/oidc-op";
import { startOktaSim } from "../../support/okta-sim";
import { type PfAdminSim, startPfAdminSim } from "../../../e2e/support/pf-admin-sim";

interface Report { idp: string; exitCode: number; findings: Finding[]; manual: string[] }

const VARIABLES = ["OKTA_API_TOKEN", "OKTA_ORG_NAME", "CODER_OIDC_OKTA_API_URL", "KEYCLOAK_URL", "KEYCLOAK_REALM", "KEYCLOAK_CLIENT_ID", "KEYCLOAK_CLIENT_SECRET", "KEYCLOAK_USER", "KEYCLOAK_PASSWORD", "CODER_SESSION_TOKEN"];

describe("coder-oidc verify", () => {
  let op: TestOp;
  let sim: PfAdminSim;
  let dir: string;
  let bin: string;
  let keycloak: http.Server;
  let keycloakUrl: string;
  const tokenForms: Record<string, string>[] = [];

  before(async () => {
    op = await startOp(["openid", "offline_access", "profile", "email"]);
    sim = await startPfAdminSim({ commonScopes: ["openid", "profile", "email", "offline_access"].map((name) => ({ name, description: name })) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-verify-command-"));
    // A stand-in `pulumi`: `config` and `stack output` print what the test put beside it.
    bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "pulumi"),
      `#!/bin/sh\necho "$PWD $*" >> "${dir}/calls.log"\ncase "$1" in\n  config) cat "${dir}/config.json"; exit "$(cat "${dir}/config.exit" 2>/dev/null || echo 0)" ;;\n` +
      `  stack) cat "${dir}/outputs.json" ;;\n  *) exit 3 ;;\nesac\n`, { mode: 0o755 });
    fs.mkdirSync(path.join(dir, "stacks"));
    fs.writeFileSync(path.join(dir, "stacks", "Pulumi.pf.yaml"), "config:\n  coder-oidc:idp: pingfederate\n  coder-oidc:coderUrl: https://coder.example.com\n");
    // Keycloak's token endpoint, refusing every admin login.
    keycloak = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        tokenForms.push({ path: req.url ?? "", ...Object.fromEntries(new URLSearchParams(body)) });
        // Realm "tokenless" answers 200 without a token; realm "open" gives one, then refuses the admin API.
        if (req.url === "/realms/tokenless/protocol/openid-connect/token") return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
        if (req.url === "/realms/open/protocol/openid-connect/token") return void res.writeHead(200, { "content-type": "application/json" }).end('{"access_token":"t"}');
        res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized_client"}');
      });
    });
    await new Promise<void>((done) => keycloak.listen(0, "127.0.0.1", done));
    keycloakUrl = `http://127.0.0.1:${(keycloak.address() as AddressInfo).port}`;
    const api = pfAdminApi({ adminUrl: sim.url, credentials: { kind: "basic", username: sim.username, password: sim.password } });
    await api.createClient({
      clientId: "coder", name: "Coder", grantTypes: ["AUTHORIZATION_CODE"], redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
      restrictScopes: true, restrictedScopes: ["openid", "profile", "email"], clientAuth: { type: "SECRET", secret: "s-0123456789" },
    });
    api.close();
  });
  after(async () => {
    await op.close();
    await sim.close();
    await new Promise<void>((done) => keycloak.close(() => done()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs verify with `env` set (and the variables it reads unset unless given), then puts the environment back. */
  async function verify(argv: string[], env: Record<string, string> = {}) {
    const saved = { ...process.env };
    for (const key of VARIABLES) delete process.env[key];
    Object.assign(process.env, env);
    try {
      return await runInProcess(runVerify, argv);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }
  const dotenv = (name: string, scopes = "openid,profile,email,offline_access") => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `CODER_OIDC_ISSUER_URL='${op.issuer}'\nCODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='s'\n` +
      `CODER_OIDC_SCOPES='${scopes}'\nCODER_OIDC_AUTH_URL_PARAMS='{"access_type":"offline"}'\n`);
    return file;
  };
  const report = (stdout: string) => JSON.parse(stdout) as Report;
  const finding = (r: Report, check: string) => r.findings.find((f) => f.check === check);
  const manualText = (idp: string) => "\nTo check by hand:\n" + manualChecks(idpOf(idp).verify.manual).map((m) => `  - ${m}\n`).join("");

  it("prints a line per finding, what to check by hand, and the verdict: all good is exit 0", async () => {
    // The Okta app, at a simulated Okta (test/cli/verify/idps.test.ts checks it in depth).
    const okta = await startOktaSim();
    okta.putApp({ clientId: "coder", groups: ["00g1"] });
    const run = await verify(["--dotenv", dotenv("good.env"), "--idp", "okta"], { CODER_OIDC_OKTA_API_URL: okta.orgUrl, OKTA_API_TOKEN: okta.apiToken })
      .finally(() => okta.close());
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.stderr, "");
    assert.equal(run.stdout, [
      "✔ settings.scopes: CODER_OIDC_SCOPES=openid,profile,email,offline_access",
      '✔ settings.authUrlParams: CODER_OIDC_AUTH_URL_PARAMS={"access_type":"offline"}',
      "✔ discovery.issuer: the discovery document's issuer is CODER_OIDC_ISSUER_URL, character for character",
      "✔ discovery.grantTypes: the IdP supports the refresh_token grant",
      "✔ discovery.scopes: the IdP supports the offline_access scope",
      "✔ discovery.signing: ID tokens are signed with an algorithm Coder verifies (RS256)",
      "✔ okta.app.status: the app is active",
      "✔ okta.app.type: it is a web app",
      "✔ okta.app.grants: the authorization code and refresh token grants are allowed",
      "✔ okta.app.authentication: the client authenticates (client_secret_basic)",
      "✔ okta.app.rotation: refresh tokens do not rotate",
      "✔ okta.app.assignments: assigned to 1 group(s): 00g1",
      "✔ okta.authServer: tokens come from the org authorization server, whose policy Okta fixes (access tokens 1 hour)",
      "",
    ].join("\n") + `${manualText("okta")}\nAll checks passed.\n`);
  });

  it("a problem is ✖ and exit 1; as JSON, the IdP, the exit code, the findings and the manual checks", async () => {
    const text = await verify(["--dotenv", dotenv("bad.env", "openid,profile,email"), "--idp", "okta"]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^✖ settings\.scopes: CODER_OIDC_SCOPES lacks offline_access/m);
    assert.ok(text.stdout.endsWith("\nSomething is wrong: see ✖ above.\n"));
    const json = await verify(["--dotenv", dotenv("bad.env", "openid,profile,email"), "--idp", "okta", "--format", "json"]);
    const r = report(json.stdout);
    assert.deepEqual([json.code, r.idp, r.exitCode, r.manual], [1, "okta", 1, manualChecks(idpOf("okta").verify.manual)]);
    assert.equal(finding(r, "settings.scopes")?.status, "problem");
  });

  it("--coder-url with the owner's token from CODER_SESSION_TOKEN: Coder is asked", async () => {
    const run = await verify(["--dotenv", dotenv("good.env"), "--idp", "okta", "--coder-url", "http://127.0.0.1:9", "-f", "json"], { CODER_SESSION_TOKEN: "owner" });
    assert.match(finding(report(run.stdout), "coder")!.message, /^GET http:\/\/127\.0\.0\.1:9\/api\/v2\/deployment\/config failed: /);
  });

  it("a dotenv without an issuer: no discovery check, and the setting named", async () => {
    const file = path.join(dir, "no-issuer.env");
    fs.writeFileSync(file, "CODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='s'\n");
    const r = report((await verify(["--dotenv", file, "--idp", "okta", "-f", "json"])).stdout);
    assert.deepEqual(r.findings.filter((f) => f.check.startsWith("discovery")), []);
    assert.equal(finding(r, "settings.CODER_OIDC_ISSUER_URL")?.status, "problem");
  });

  it("--coder-url without an owner's token: ? and exit 2, saying what to give", async () => {
    const run = await verify(["--dotenv", dotenv("good.env"), "--idp", "okta", "--coder-url", "https://coder.example.com"]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^\? coder: --coder-url needs an owner's token: --coder-token or CODER_SESSION_TOKEN$/m);
    assert.ok(run.stdout.endsWith("\nSome checks could not run: see ? above.\n"));
  });

  describe("Keycloak", () => {
    const keycloakFinding = async (env: Record<string, string>) => {
      const file = path.join(dir, "kc.env");
      fs.writeFileSync(file, `CODER_OIDC_ISSUER_URL='${op.issuer}/realms/main'\nCODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='s'\n`);
      return finding(report((await verify(["--dotenv", file, "--idp", "keycloak", "-f", "json"], env)).stdout), "keycloak.client");
    };

    it("without admin credentials: says which to set", async () => {
      assert.deepEqual(await keycloakFinding({}), { check: "keycloak.client", status: "unchecked",
        message: "no Keycloak admin credentials: set the stack's keycloak:* config, or KEYCLOAK_URL with KEYCLOAK_CLIENT_SECRET or KEYCLOAK_USER and KEYCLOAK_PASSWORD" });
      assert.equal((await keycloakFinding({ KEYCLOAK_URL: keycloakUrl, KEYCLOAK_USER: "admin" }))?.message.startsWith("no Keycloak admin credentials"), true);
    });

    it("logs in as the client, or as the user, at the realm given (master by default), and says when that is refused", async () => {
      tokenForms.length = 0;
      assert.deepEqual(await keycloakFinding({ KEYCLOAK_URL: `${keycloakUrl}/`, KEYCLOAK_CLIENT_SECRET: "kc-secret" }), { check: "keycloak.client", status: "unchecked",
        message: `POST ${keycloakUrl}/realms/master/protocol/openid-connect/token answered HTTP 401: check the Keycloak admin credentials` });
      await keycloakFinding({ KEYCLOAK_URL: keycloakUrl, KEYCLOAK_REALM: "ops", KEYCLOAK_CLIENT_ID: "terraform", KEYCLOAK_USER: "admin", KEYCLOAK_PASSWORD: "pw" });
      assert.deepEqual(tokenForms, [
        { path: "/realms/master/protocol/openid-connect/token", grant_type: "client_credentials", client_id: "admin-cli", client_secret: "kc-secret" },
        { path: "/realms/ops/protocol/openid-connect/token", grant_type: "password", client_id: "terraform", username: "admin", password: "pw" },
      ]);
    });

    it("a token endpoint that gives no token, and an admin API that refuses the token it gave", async () => {
      assert.equal((await keycloakFinding({ KEYCLOAK_URL: `${keycloakUrl}//`, KEYCLOAK_REALM: "tokenless", KEYCLOAK_CLIENT_SECRET: "s" }))?.message,
        `POST ${keycloakUrl}/realms/tokenless/protocol/openid-connect/token answered HTTP 200: check the Keycloak admin credentials`);
      assert.equal((await keycloakFinding({ KEYCLOAK_URL: keycloakUrl, KEYCLOAK_REALM: "open", KEYCLOAK_CLIENT_SECRET: "s" }))?.message,
        `GET ${keycloakUrl}/admin/realms/main/clients answered HTTP 401: check the admin credentials`);
    });

    it("an admin API that does not answer: says so", async () => {
      const f = await keycloakFinding({ KEYCLOAK_URL: "http://127.0.0.1:9", KEYCLOAK_CLIENT_SECRET: "kc-secret" });
      assert.equal(f?.status, "unchecked");
      assert.match(f!.message, /^Keycloak's admin API did not answer: /);
    });
  });

  describe("Keycloak, from a deployed stack", () => {
    it("logs in with the stack's keycloak:* config, read with its secrets through the CLI", async () => {
      fs.writeFileSync(path.join(dir, "stacks", "Pulumi.kc.yaml"), "config:\n  coder-oidc:idp: keycloak\n  coder-oidc:coderUrl: https://coder.example.com\n");
      fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({
        CODER_OIDC_ISSUER_URL: `${op.issuer}/realms/main`, CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_CLIENT_SECRET: "s",
        CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline"}',
      }));
      const config = { "keycloak:url": keycloakUrl, "keycloak:realm": "ops", "keycloak:clientId": "tf", "keycloak:clientSecret": "from-stack" };
      fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value }]))));
      tokenForms.length = 0;
      const run = await verify(["--stack", "kc", "--project-dir", dir, "--stacks-dir", path.join(dir, "stacks"), "--format", "json"],
        { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, KEYCLOAK_CLIENT_SECRET: "from-env" });
      assert.deepEqual(tokenForms, [{ path: "/realms/ops/protocol/openid-connect/token", grant_type: "client_credentials", client_id: "tf", client_secret: "from-stack" }]);
      assert.equal(report(run.stdout).idp, "keycloak");
      assert.ok(run.stdout.endsWith("}\n"));
    });
  });

  describe("a deployed stack's config: read through the CLI, its secrets masked in all verify prints", () => {
    /** A server whose discovery document names as its issuer whatever the test asks it to echo. */
    let echo: http.Server;
    let echoUrl: string;
    let echoed = "";
    before(async () => {
      echo = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: echoed })));
      await new Promise<void>((done) => echo.listen(0, "127.0.0.1", done));
      echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((done) => echo.close(() => done()));
      fs.rmSync(path.join(dir, "config.exit"), { force: true });
    });

    const SECRET_SECTION = { clientId: "1-abc.apps.googleusercontent.com", none: null, count: 3, clientSecret: "LEAF-one-secret",
      nested: { deep: [null, "LEAF-two-secret"] } };
    const deployGoogle = (config: unknown, exit = 0) => {
      fs.writeFileSync(path.join(dir, "stacks", "Pulumi.g.yaml"), "config:\n  coder-oidc:idp: google\n  coder-oidc:coderUrl: https://coder.example.com\n");
      fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({
        CODER_OIDC_ISSUER_URL: echoUrl, CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_CLIENT_SECRET: "client-secret-value",
        CODER_OIDC_SCOPES: "openid,profile,email", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline","prompt":"consent"}',
      }));
      fs.writeFileSync(path.join(dir, "config.json"), typeof config === "string" ? config : JSON.stringify(config));
      fs.writeFileSync(path.join(dir, "config.exit"), String(exit));
      fs.rmSync(path.join(dir, "calls.log"), { force: true });
    };
    const googleRun = (extra: string[] = []) => verify(["--stack", "g", "--project-dir", dir, "--stacks-dir", path.join(dir, "stacks"), ...extra],
      { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` });

    it("asks the CLI for the config with its secrets, in the project, and masks every string of a secret value", async () => {
      deployGoogle({
        "coder-oidc:google": { value: JSON.stringify(SECRET_SECTION), secret: true },
        "gcp:credentials": { value: "whole-secret-text", secret: true },
        "coder-oidc:displayName": { value: "Plain-Display-Name" },
      });
      echoed = "LEAF-one-secret LEAF-two-secret whole-secret-text Plain-Display-Name client-secret-value";
      const run = await googleRun();
      assert.equal(run.code, 1, run.stderr);
      const calls = fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
      assert.ok(calls.includes(`${dir} config --show-secrets --json --stack g`), calls.join("\n"));
      for (const secret of ["LEAF-one-secret", "LEAF-two-secret", "whole-secret-text", "client-secret-value"]) {
        assert.ok(!run.stdout.includes(secret), secret);
      }
      assert.ok(run.stdout.includes("Plain-Display-Name"), "a value not set as a secret is shown");
    });

    it("a config the CLI fails to give, or gives as no map, is no config: no crash", async () => {
      const failed = JSON.stringify({ "gcp:credentials": { value: "failed-cli-secret", secret: true } });
      for (const [config, exit] of [["null", 0], ["not json", 0], ["[1, 2]", 0], [failed, 1]] as const) {
        deployGoogle(config, exit);
        echoed = exit === 1 ? "failed-cli-secret" : "x";
        const run = await googleRun(["--format", "json"]);
        assert.equal(run.stderr, "", config);
        const discovery = finding(report(run.stdout), "discovery.issuer");
        assert.equal(discovery?.status, "problem", config);
        // Nothing was read, so nothing is masked: not even the secret of the config of a CLI that failed.
        assert.ok(discovery!.message.includes(`says issuer "${echoed}"`), `${config}: ${discovery!.message}`);
      }
    });

    it("called directly, without a project or a masker: this project, and a masker of its own", async () => {
      deployGoogle({ "gcp:credentials": { value: "direct-secret-text", secret: true } });
      echoed = "direct-secret-text";
      const saved = process.env.PATH;
      process.env.PATH = `${bin}${path.delimiter}${saved ?? ""}`;
      try {
        const findings = await verifyChecks({ idp: "google", stack: "g", settings: { CODER_OIDC_ISSUER_URL: echoUrl } });
        assert.ok(findings.every((f) => !f.message.includes("direct-secret-text")));
        assert.ok(findings.some((f) => f.check === "discovery.issuer" && f.status === "problem"));
      } finally {
        process.env.PATH = saved;
      }
      assert.ok(fs.readFileSync(path.join(dir, "calls.log"), "utf8").includes(`${PROJECT_ROOT} config --show-secrets --json --stack g`));
    });

    it("--dotenv reads no stack config", async () => {
      fs.rmSync(path.join(dir, "calls.log"), { force: true });
      await verify(["--dotenv", dotenv("plain.env"), "--idp", "okta"], { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` });
      assert.equal(fs.existsSync(path.join(dir, "calls.log")), false);
    });
  });

  describe("PingFederate, from a deployed stack", () => {
    const deploy = (pingfederate: object | undefined) => {
      fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({
        CODER_OIDC_ISSUER_URL: op.issuer, CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_CLIENT_SECRET: "s",
        CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: "{}",
      }));
      fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(pingfederate ? { "coder-oidc:pingfederate": { value: JSON.stringify(pingfederate), secret: true } } : {}));
    };
    const stackRun = (extra: string[] = [], env: Record<string, string> = {}) =>
      verify(["--stack", "pf", "--project-dir", dir, "--stacks-dir", path.join(dir, "stacks"), "--format", "json", ...extra],
        { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, ...env });

    it("reads the client with the stack's connection and credentials, and names what it lacks", async () => {
      deploy({ adminUrl: sim.url, username: sim.username, password: sim.password });
      const run = await stackRun();
      const r = report(run.stdout);
      assert.equal(run.code, 1);
      assert.equal(r.idp, "pingfederate");
      assert.deepEqual(r.findings.filter((f) => f.check.startsWith("pingfederate.")).map((f) => [f.check, f.status, f.message]), [
        ["pingfederate.client.grants", "problem", "PingFederate client coder: allow the REFRESH_TOKEN grant (it has AUTHORIZATION_CODE)"],
        ["pingfederate.client.offlineAccess", "problem", "PingFederate client coder: add offline_access to its restricted scopes"],
        ["pingfederate.client.authentication", "ok", "the client authenticates (SECRET)"],
        ["pingfederate.client.redirectUri", "ok", "Coder's callback https://coder.example.com/api/v2/users/oidc/callback is a redirect URI"],
      ]);
    });

    it("a bearer token is used when the stack holds one; an admin API that refuses says so", async () => {
      deploy({ adminUrl: sim.url, token: "not-the-token" });
      const refused = finding(report((await stackRun()).stdout), "pingfederate.client");
      assert.equal(refused?.status, "unchecked");
      assert.match(refused!.message, /^PingFederate admin API GET \/oauth\/clients\/coder failed with HTTP 401/);
      deploy({ adminUrl: sim.url, token: sim.token });
      assert.equal(finding(report((await stackRun()).stdout), "pingfederate.client.authentication")?.status, "ok");
    });

    it("a CA file named relative to the project is read from the project", async () => {
      fs.mkdirSync(path.join(dir, "certs"), { recursive: true });
      fs.writeFileSync(path.join(dir, "certs", "pf-ca.pem"), sim.caPem);
      deploy({ adminUrl: sim.httpsUrl, username: sim.username, password: sim.password, caCertificate: "certs/pf-ca.pem" });
      assert.equal(finding(report((await stackRun()).stdout), "pingfederate.client.authentication")?.status, "ok");
    });

    it("a user without a password is no credential, and a CA that is no file: each a finding, not a crash", async () => {
      deploy({ adminUrl: sim.url, username: sim.username });
      const missing = await stackRun();
      assert.equal(missing.stderr, "");
      const f = finding(report(missing.stdout), "pingfederate.client");
      assert.equal(f?.status, "unchecked");
      assert.match(f!.message, /^PingFederate admin credentials are missing:\n {2}- coder-oidc:pingfederate: no admin API credentials/);
      deploy({ adminUrl: sim.httpsUrl, username: sim.username, password: sim.password, caCertificate: "/no/such/ca.pem" });
      assert.match(finding(report((await stackRun()).stdout), "pingfederate.client")!.message, /caCertificate: is neither PEM text nor a readable file/);
    });

    it("without the stack's PingFederate config: unchecked, saying what it needs", async () => {
      deploy(undefined);
      assert.deepEqual(finding(report((await stackRun()).stdout), "pingfederate.client"), { check: "pingfederate.client", status: "unchecked",
        message: "verify reads the PingFederate client with the stack's coder-oidc:pingfederate config: give --stack" });
    });

    it("without the Pulumi CLI: exit 2, saying to install it or use --dotenv", async () => {
      const run = await verify(["--stack", "pf", "--project-dir", dir, "--stacks-dir", path.join(dir, "stacks")], { PATH: path.dirname(process.execPath) });
      assert.deepEqual(run, { code: 2, stdout: "",
        stderr: "error: The Pulumi CLI is not installed (no `pulumi` on PATH): verify --stack reads the deployed outputs; or use --dotenv\n" });
    });
  });

  it("--help lists every option with what it does, and exits 0", async () => {
    await assertHelpLists(runVerify, [
      "Usage: coder-oidc verify [options] Checks a live deployment: Coder's settings, the IdP's discovery document and client, Coder's running config",
      "-s, --stack <name> the deployed stack whose outputs to check (needs the Pulumi CLI)",
      "--dotenv <file> check the Coder settings in this dotenv file instead (with --idp)",
      '--idp <idp> the IdP, with --dotenv (choices: "keycloak", "entra-id", "google", "pingfederate", "okta", "auth0")',
      `--project-dir <dir> the Pulumi project of --stack (Pulumi.yaml and its stacks/) (default: "${PROJECT_ROOT}")`,
      "--stacks-dir <dir> folder of Pulumi.<stack>.yaml files; default: the project's stacks/",
      "--coder-url <url> Coder's access URL, to compare its running OIDC settings",
      "--coder-token <token> an owner's session token (default: $CODER_SESSION_TOKEN)",
      '-f, --format <format> output format (choices: "text", "json", default: "text")',
    ]);
  });

  it("refuses what it cannot check, with exit 2 and why", async () => {
    const which = { code: 2, stdout: "", stderr: "error: give exactly one of --stack <name> or --dotenv <file>\n" };
    assert.deepEqual(await verify([]), which);
    assert.deepEqual(await verify(["--stack", "pf", "--dotenv", "x.env"]), which);
    assert.deepEqual(await verify(["--dotenv", dotenv("good.env")]), { code: 2, stdout: "", stderr: "error: --dotenv needs --idp <idp>\n" });
    const absent = path.join(dir, "absent.env");
    assert.deepEqual(await verify(["--dotenv", absent, "--idp", "okta"]),
      { code: 2, stdout: "", stderr: `error: Cannot read --dotenv ${absent}: it does not exist\n` });
    const unknown = await verify(["--stack", "nope", "--stacks-dir", path.join(dir, "stacks")]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: No stack "nope"/);
    const idp = await verify(["--dotenv", absent, "--idp", "onelogin"]);
    assert.equal(idp.code, 2);
    assert.match(idp.stderr, /argument 'onelogin' is invalid/);
  });

  it("refuses options the mode does not use, and says so as JSON with its code", async () => {
    const stacks = path.join(dir, "stacks");
    assert.deepEqual(await verify(["--stack", "pf", "--stacks-dir", stacks, "--idp", "okta"]),
      { code: 2, stdout: "", stderr: "error: --idp goes with --dotenv only (a stack file names its IdP)\n" });
    assert.deepEqual(await verify(["--dotenv", dotenv("mode.env"), "--idp", "okta", "--project-dir", dir]),
      { code: 2, stdout: "", stderr: "error: --project-dir goes with --stack only\n" });
    assert.deepEqual(JSON.parse((await verify(["--format", "json"])).stdout),
      { error: { code: "ERR_USAGE", message: "give exactly one of --stack <name> or --dotenv <file>", exitCode: 2 } });
  });

  it("masks the owner's token in an error before any check", async () => {
    const token = "owner-token-0123456789";
    const run = await verify(["--dotenv", path.join(dir, `${token}.env`), "--idp", "okta", "--coder-url", "http://127.0.0.1:9", "--coder-token", token]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: Cannot read --dotenv /);
    assert.ok(!run.stderr.includes(token), run.stderr);
  });

  it("a stack file that names no IdP it knows, or none: exit 2 with the IdPs; no Pulumi CLI: its own code", async () => {
    const stacks = path.join(dir, "stacks");
    fs.writeFileSync(path.join(stacks, "Pulumi.noidp.yaml"), "config:\n  coder-oidc:coderUrl: https://coder.example.com\n");
    fs.writeFileSync(path.join(stacks, "Pulumi.other.yaml"), "config:\n  coder-oidc:idp: onelogin\n");
    const idps = "keycloak, entra-id, google, pingfederate, okta, auth0";
    assert.deepEqual(await verify(["--stack", "noidp", "--stacks-dir", stacks]), { code: 2, stdout: "",
      stderr: `error: the stack file names no IdP this tool knows (coder-oidc:idp is not set; the IdPs: ${idps})\n` });
    assert.deepEqual(JSON.parse((await verify(["--stack", "other", "--stacks-dir", stacks, "--format", "json"])).stdout), { error: { code: "ERR_STACK_FILE",
      message: `the stack file names no IdP this tool knows (coder-oidc:idp is "onelogin"; the IdPs: ${idps})`, exitCode: 2 } });
    const noCli = await verify(["--stack", "pf", "--project-dir", dir, "--stacks-dir", stacks, "--format", "json"], { PATH: path.dirname(process.execPath) });
    assert.equal((JSON.parse(noCli.stdout) as { error: { code: string } }).error.code, "ERR_PULUMI_CLI");
  });
});
