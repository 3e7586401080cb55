/**
 * engine/automation.ts in this process: what it hands the Pulumi CLI, how it finds it, and what it makes of each
 * answer, through the real Automation API and the stand-in `pulumi` of test/support/fake-pulumi.ts (the real
 * engine is test/e2e's). The drift command's own tests run it as a process; these make the same checks countable.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { checkStackDrift, cliEnvVars, COMMON_CLI_ENV, findOnPath, idpCliEnv, passthroughEnv, PROJECT_NAME, PROJECT_ROOT, RECORD_EVENTS_ENV } from "../../engine/automation";
import { STACK_MISSING_MESSAGE, type StackDriftResult } from "../../engine/drift";
import { installFakePulumi } from "../support/fake-pulumi";

const FIXTURES = path.join(__dirname, "fixtures");
const NODE_DIR = path.dirname(process.execPath);

describe("passthroughEnv", () => {
  it("passes the CLI's own variables, every IdP's credentials, backends, proxies, PATH and HOME as they are, and nothing else", () => {
    const given = {
      PULUMI_BACKEND_URL: "file:///state", PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass", PINGFEDERATE_ADMIN_TOKEN: "t",
      KEYCLOAK_CLIENT_SECRET: "k", ARM_CLIENT_ID: "a", AZURE_TENANT_ID: "z", GOOGLE_CREDENTIALS: "g", CLOUDSDK_CONFIG: "c",
      OKTA_API_TOKEN: "o", OKTA_ORG_NAME: "org", AUTH0_DOMAIN: "tenant.auth0.com", AUTH0_CLIENT_SECRET: "s",
      AWS_SECRET_ACCESS_KEY: "backend", HTTPS_PROXY: "http://proxy:3128", HTTP_PROXY: "http://proxy:3128", NO_PROXY: "127.0.0.1",
      https_proxy: "p", http_proxy: "p", no_proxy: "n", SSL_CERT_FILE: "/ca.pem", PATH: "/usr/bin", HOME: "/home/u", TMPDIR: "/tmp",
    };
    const refused = { UNRELATED_TOKEN: "x", MY_PULUMI_TOKEN: "x", PINGFEDERATE_ADOPT_CLIENT: "x", PATHEXT: "x", HOMEPATH: "x", XHOME: "x",
      GITHUB_TOKEN: "x", pulumi_backend_url: "x", okta_api_token: "x", Path: "x", UNSET: undefined, PULUMI_UNSET: undefined };
    assert.deepEqual(passthroughEnv({ ...given, ...refused }, false), { PULUMI_SKIP_UPDATE_CHECK: "true", ...given });
  });

  it("names every IdP kind, each with its variables, and the CLI's own", () => {
    assert.deepEqual(Object.keys(idpCliEnv()).sort(), ["auth0", "entra-id", "google", "keycloak", "okta", "pingfederate"]);
    for (const [kind, names] of Object.entries(idpCliEnv())) assert.ok(names.length > 0, kind);
    for (const name of ["PULUMI_*", "PATH", "HOME"]) assert.ok(COMMON_CLI_ENV.includes(name), name);
  });

  it("matches names without regard to case where the system does (Windows: Path)", () => {
    assert.deepEqual(passthroughEnv({ Path: "C:\\bin", Okta_Api_Token: "o", Unrelated: "x" }, true),
      { PULUMI_SKIP_UPDATE_CHECK: "true", Path: "C:\\bin", Okta_Api_Token: "o" });
  });

  it("turns the CLI's update check off unless the user set it", () => {
    assert.deepEqual(passthroughEnv({}), { PULUMI_SKIP_UPDATE_CHECK: "true" });
    assert.deepEqual(passthroughEnv({ PULUMI_SKIP_UPDATE_CHECK: "false" }), { PULUMI_SKIP_UPDATE_CHECK: "false" });
  });
});

describe("cliEnvVars", () => {
  it("names every inherited variable the passthrough leaves out with an undefined value, and passes the rest", () => {
    const vars = cliEnvVars({ PATH: "/bin", OKTA_API_TOKEN: "o", UNRELATED_TOKEN: "given" }, { PATH: "/usr/bin", UNRELATED_TOKEN: "marker", SHELL: "/bin/sh" });
    assert.deepEqual(vars, { PATH: "/bin", UNRELATED_TOKEN: undefined, SHELL: undefined, OKTA_API_TOKEN: "o", PULUMI_SKIP_UPDATE_CHECK: "true" });
  });
});

describe("findOnPath", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-path-"));
    for (const name of ["plain", "exec", "exec2", "folder"]) fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, "plain", "tool"), "not executable", { mode: 0o644 });
    fs.mkdirSync(path.join(dir, "folder", "tool"));
    for (const name of ["exec", "exec2"]) fs.writeFileSync(path.join(dir, name, "tool"), "#!/bin/sh\n", { mode: 0o755 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const at = (...names: string[]) => names.map((name) => (name === "" ? "" : path.join(dir, name))).join(path.delimiter);

  it("finds the first executable file, past empty entries, folders and files that cannot run", () => {
    assert.equal(findOnPath("tool", at("", "missing", "plain", "folder", "", "exec", "exec2")), path.join(dir, "exec", "tool"));
    assert.equal(findOnPath("tool", at("exec2", "exec")), path.join(dir, "exec2", "tool"));
  });

  it("finds nothing on an empty, unset or useless PATH", () => {
    assert.equal(findOnPath("tool", at("plain", "folder")), undefined);
    assert.equal(findOnPath("tool", ""), undefined);
    assert.equal(findOnPath("tool", undefined), undefined);
  });
});

describe("checkStackDrift through the Automation API", () => {
  let fake: string;
  let scratch: string;
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-automation-"));
    fake = installFakePulumi();
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /**
   * Runs a check with the stand-in CLI first on PATH; its switches (`PULUMI_FAKE_*`) go in through the environment
   * given, as the drift command gives its process's.
   */
  async function check(stack: string, fakeEnv: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<StackDriftResult> {
    return checkStackDrift(stack, { PATH: `${fake}${path.delimiter}${NODE_DIR}`, HOME: scratch, ...fakeEnv, ...env });
  }
  const events = (name: string) => path.join(FIXTURES, name);
  const REFUSED = "error: no changes were expected but changes were proposed\n";
  /** The hand-edit events without the CLI's refusal among their diagnostics (as the real engine's events are). */
  const withoutRefusal = () => {
    const all = JSON.parse(fs.readFileSync(events("drift-keycloak-hand-edit.json"), "utf8")) as EngineEvent[];
    const file = path.join(scratch, "changes-without-refusal.json");
    fs.writeFileSync(file, JSON.stringify(all.filter((e) => !/no changes were expected/.test(e.diagnosticEvent?.message ?? ""))));
    return file;
  };
  /** The result without `seconds`, once `seconds` is checked to be the check's own duration, in seconds. */
  const noSeconds = (result: StackDriftResult & { calledAt?: number; returnedAt?: number }) => {
    const { seconds, calledAt, returnedAt, ...rest } = result;
    assert.equal(typeof seconds, "number");
    assert.ok(seconds! >= 0 && (calledAt === undefined || seconds! <= (returnedAt! - calledAt) / 1000 + 0.001), `${seconds} s`);
    return rest;
  };
  /** `check`, noting when it was called and when it returned. */
  const timedCheck = async (stack: string, fakeEnv: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
    const calledAt = Date.now();
    const result = await check(stack, fakeEnv, env);
    return { ...result, calledAt, returnedAt: Date.now() };
  };

  it("is the project this folder holds", () => {
    assert.equal(PROJECT_NAME, "coder-oidc");
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "Pulumi.yaml")));
  });

  it("the CLI child gets the passthrough environment and nothing else of this process's", async () => {
    const envLog = path.join(scratch, "env.log");
    const argLog = path.join(scratch, "env-args.log");
    const secrets = { OKTA_API_TOKEN: "okta-token", AUTH0_DOMAIN: "tenant.auth0.com", PULUMI_CONFIG_PASSPHRASE: "passphrase",
      KEYCLOAK_CLIENT_SECRET: "keycloak-secret" };
    const saved = { ...process.env };
    // As the drift command runs: the user's environment is this process's, and the check is given it.
    Object.assign(process.env, { UNRELATED_TOKEN: "marker", ...secrets });
    try {
      const result = await checkStackDrift("dev-keycloak", { ...process.env, PATH: `${fake}${path.delimiter}${NODE_DIR}`, HOME: scratch,
        PULUMI_FAKE_EVENTS: events("drift-none.json"), PULUMI_FAKE_ENV_LOG: envLog, PULUMI_FAKE_LOG: argLog });
      assert.equal(result.status, "no-drift", result.message);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    const lines = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as unknown);
    const calls = lines(argLog) as string[][];
    const envs = lines(envLog) as Record<string, string>[];
    assert.ok(calls.some((args) => args[0] === "stack" && args[1] === "select") && calls.some((args) => args[0] === "preview"), JSON.stringify(calls));
    assert.equal(envs.length, calls.length);
    for (const received of envs) {
      assert.equal(received.UNRELATED_TOKEN, undefined, "a variable outside the list does not reach the CLI");
      for (const [key, value] of Object.entries(secrets)) assert.equal(received[key], value, key);
      assert.equal(received.HOME, scratch);
      assert.equal(received.PULUMI_SKIP_UPDATE_CHECK, "true");
      assert.equal(received.PULUMI_AUTOMATION_API, "true", "what the Automation API adds");
      assert.ok(received.PATH.split(path.delimiter).includes(fake));
    }
  });

  it("without the CLI on PATH: could not check, saying how to install it", async () => {
    const result = await checkStackDrift("dev-keycloak", { PATH: NODE_DIR });
    assert.deepEqual(noSeconds(result), {
      stack: "dev-keycloak", status: "error", resources: [], failure: "no-cli",
      message: "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add the folder that holds `pulumi` to PATH",
    });
  });

  it("no drift: a refresh-preview that expects no changes, with the diff", async () => {
    const log = path.join(scratch, "calls.log");
    const result = await timedCheck("dev-keycloak", { PULUMI_FAKE_EVENTS: events("drift-none.json"), PULUMI_FAKE_LOG: log });
    assert.deepEqual(noSeconds(result), { stack: "dev-keycloak", status: "no-drift", resources: [] });
    const preview = fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]).find((a) => a[0] === "preview")!;
    for (const flag of ["--refresh", "--expect-no-changes", "--diff"]) assert.ok(preview.includes(flag), `${flag} in ${preview.join(" ")}`);
    assert.equal(preview[preview.indexOf("--stack") + 1], "dev-keycloak");
  });

  it("a hand edit: the CLI's refusal of the changes becomes drift, the field named with both values", async () => {
    const result = await timedCheck("dev-keycloak", {
      PULUMI_FAKE_EVENTS: events("drift-keycloak-hand-edit.json"), PULUMI_FAKE_EXIT: "255",
      PULUMI_FAKE_STDERR: "error: no changes were expected but changes were proposed\n",
    });
    assert.equal(noSeconds(result).status, "drift");
    assert.deepEqual(result.resources.map((r) => [r.name, r.op]), [["coder-client", "update"]]);
    assert.deepEqual(result.resources[0].fields[0], { path: "clientOfflineSessionIdleTimeout", kind: "update", program: "2592000", live: "604800" });
  });

  it("the CLI's refusal of the changes counts on stdout too", async () => {
    const result = await check("dev-keycloak", {
      PULUMI_FAKE_EVENTS: withoutRefusal(), PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDOUT: REFUSED,
    });
    assert.equal(result.status, "drift");
  });

  it("drift in the events of a preview that passed is drift too", async () => {
    const result = await check("dev-keycloak", { PULUMI_FAKE_EVENTS: events("drift-keycloak-hand-edit.json") });
    assert.equal(result.status, "drift");
    assert.equal(result.resources.length, 1);
  });

  it("a failure that is not the refusal of changes is not drift, though the events show changes", async () => {
    const result = await check("dev-keycloak", { PULUMI_FAKE_EVENTS: withoutRefusal(), PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDERR: "error: preview failed\n" });
    assert.equal(result.status, "error");
    assert.equal(result.failure, "other");
    assert.match(result.message!, /^the refresh-preview failed: /);
  });

  it("changes found by the refresh alone are drift, with what the refresh changed", async () => {
    const base = JSON.parse(fs.readFileSync(events("drift-none.json"), "utf8")) as EngineEvent[];
    const urn = "urn:pulumi:dev-keycloak::coder-oidc::keycloak:openid/client:Client::coder-client";
    const refreshed = {
      sequence: 999, timestamp: 0,
      resourcePreEvent: { metadata: { op: "refresh", urn, type: "keycloak:openid/client:Client", provider: "", diffs: ["name"],
        old: { type: "keycloak:openid/client:Client", urn, custom: true, inputs: { name: "Coder" }, outputs: { name: "Coder" } },
        new: { type: "keycloak:openid/client:Client", urn, custom: true, inputs: { name: "Renamed" }, outputs: { name: "Renamed" } } } },
    };
    const file = path.join(scratch, "refresh-only.json");
    fs.writeFileSync(file, JSON.stringify([base[0], refreshed, ...base.slice(1)]));
    const result = await check("dev-keycloak", {
      PULUMI_FAKE_EVENTS: file, PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDERR: "error: no changes were expected but changes were proposed\n",
    });
    assert.equal(result.status, "drift");
    assert.deepEqual(result.resources, [{ urn, type: "keycloak:openid/client:Client", name: "coder-client", op: "refresh",
      fields: [{ path: "name", kind: "update", program: "Coder", live: "Renamed" }] }]);
  });

  it("a refusal of changes with none in the events is not drift: could not check", async () => {
    const result = await check("dev-keycloak", { PULUMI_FAKE_EVENTS: events("drift-none.json"), PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDERR: REFUSED });
    assert.deepEqual([result.status, result.failure, result.resources], ["error", "other", []]);
    assert.match(result.message!, /^the refresh-preview failed: /);
  });

  it("a stack that cannot be selected for another reason: that reason", async () => {
    const result = await check("dev-keycloak", { PULUMI_FAKE_SELECT_STDERR: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n" });
    assert.deepEqual(noSeconds(result), { stack: "dev-keycloak", status: "error", resources: [], failure: "no-credentials",
      message: "no backend credentials: run pulumi login, or set PULUMI_BACKEND_URL (e.g. file://<dir> or s3://<bucket>) or PULUMI_ACCESS_TOKEN" });
  });

  it("a CLI that is not laid out as an install is run from PATH", async () => {
    const flat = path.join(scratch, "flat");
    fs.mkdirSync(flat, { recursive: true });
    fs.copyFileSync(path.join(fake, "pulumi"), path.join(flat, "pulumi"));
    fs.chmodSync(path.join(flat, "pulumi"), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${flat}${path.delimiter}${NODE_DIR}`;
    try {
      const result = await check("dev-keycloak", { PULUMI_FAKE_EVENTS: events("drift-none.json") }, { PATH: `${flat}${path.delimiter}${NODE_DIR}` });
      assert.equal(result.status, "no-drift", result.message);
    } finally {
      process.env.PATH = saved;
    }
  });

  it("an IdP that cannot be reached: could not check, saying so", async () => {
    const result = await check("dev-keycloak", {
      PULUMI_FAKE_EVENTS: events("drift-keycloak-unreachable.json"), PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDERR: "error: preview failed\n",
    });
    assert.equal(result.status, "error");
    assert.equal(result.failure, "idp-unreachable");
    assert.deepEqual(result.resources, []);
  });

  it("a stack the backend does not have: could not check, saying where to look", async () => {
    const result = await timedCheck("nope", { PULUMI_FAKE_STACK_MISSING: "1" });
    assert.deepEqual(noSeconds(result), { stack: "nope", status: "error", resources: [], failure: "stack-missing", message: `stack "nope": ${STACK_MISSING_MESSAGE}` });
  });

  it(`keeps the engine's events in ${RECORD_EVENTS_ENV} when set, whether the check passed or failed`, async () => {
    const dir = path.join(scratch, "recorded");
    await check("dev-keycloak", { PULUMI_FAKE_EVENTS: events("drift-none.json") }, { [RECORD_EVENTS_ENV]: dir });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "dev-keycloak.json"), "utf8")), JSON.parse(fs.readFileSync(events("drift-none.json"), "utf8")));
    await check("prod", { PULUMI_FAKE_EVENTS: events("drift-keycloak-unreachable.json"), PULUMI_FAKE_EXIT: "255" }, { [RECORD_EVENTS_ENV]: dir });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "prod.json"), "utf8")),
      JSON.parse(fs.readFileSync(events("drift-keycloak-unreachable.json"), "utf8")));
    assert.deepEqual(fs.readdirSync(dir).sort(), ["dev-keycloak.json", "prod.json"]);
    assert.ok(fs.readFileSync(path.join(dir, "prod.json"), "utf8").endsWith("]\n"));
    assert.equal(RECORD_EVENTS_ENV, "CODER_OIDC_RECORD_EVENTS");
  });

  it(`writes no events without ${RECORD_EVENTS_ENV}`, async () => {
    const before = fs.readdirSync(scratch).sort();
    assert.ok(!before.includes("recorded") || fs.readdirSync(path.join(scratch, "recorded")).length === 2);
    await check("dev-keycloak", { PULUMI_FAKE_EVENTS: events("drift-none.json") }, { [RECORD_EVENTS_ENV]: "" });
    assert.deepEqual(fs.readdirSync(scratch).sort(), before);
  });
});
