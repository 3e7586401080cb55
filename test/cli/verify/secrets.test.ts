/**
 * The command line against hostile input, with a marker in every secret: `verify` with URLs that carry user info
 * and servers on 127.0.0.1 that echo what they were sent (class 2) or answer without end (class 13); files reached
 * through links, FIFOs and devices (class 1); parse errors that would quote a secret (class 2).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { runEnv } from "../../../cli/env";
import { runPlan } from "../../../cli/plan";
import { workingTreeSide } from "../../../cli/review/diff";
import { runVerify } from "../../../cli/verify";
import { MAX_ANSWER_BYTES } from "../../../src/verify/core";
import { runInProcess } from "../../support/in-process";

const MARK = "MARKER";
const noMarker = (run: { stdout: string; stderr: string }, what: string) => {
  assert.ok(!run.stdout.includes(MARK), `${what}: stdout holds a secret:\n${run.stdout}`);
  assert.ok(!run.stderr.includes(MARK), `${what}: stderr holds a secret:\n${run.stderr}`);
};

describe("verify masks every credential it holds, and bounds every answer (classes 2, 13)", () => {
  let server: http.Server;
  let base: string;
  let dir: string;
  const saved = process.env.CODER_SESSION_TOKEN;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-verify-secrets-"));
    server = http.createServer((req, res) => {
      const url = req.url ?? "";
      // Everything the server was sent, echoed back: the token header, Basic credentials, the URL.
      const echo = JSON.stringify({ headers: req.headers, url });
      res.setHeader("content-type", "application/json");
      if (url.startsWith("/big/")) {
        res.write('{"issuer":"');
        res.end("x".repeat(MAX_ANSWER_BYTES + 10) + '"}');
      } else if (url.endsWith("/.well-known/openid-configuration")) {
        res.end(JSON.stringify({ issuer: `${echo}`, grant_types_supported: [echo], id_token_signing_alg_values_supported: [echo] }));
      } else if (url === "/api/v2/deployment/config") {
        res.statusCode = 401;
        res.end(JSON.stringify({ message: `no session for ${echo}` }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: echo }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.CODER_SESSION_TOKEN;
    else process.env.CODER_SESSION_TOKEN = saved;
  });

  const dotenv = (issuer: string) => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.env`);
    fs.writeFileSync(file, `CODER_OIDC_ISSUER_URL='${issuer}'\nCODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='${MARK}-client-secret-1'\n` +
      "CODER_OIDC_SCOPES='openid,profile,email,offline_access'\n");
    return file;
  };

  it("user info in the issuer and Coder's URL, a token and a client secret that servers echo: never printed, text or JSON", async () => {
    const issuer = `http://issuer-user:${MARK}-issuer-pw@${base}/realms/x`;
    for (const format of ["text", "json"]) {
      delete process.env.CODER_SESSION_TOKEN;
      const run = await runInProcess(runVerify, ["--dotenv", dotenv(issuer), "--idp", "okta", "--format", format,
        "--coder-url", `http://coder-admin:${MARK}-coder-pw@${base}`, "--coder-token", `${MARK}-session-token-1`]);
      noMarker(run, format);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /\[credentials\]@|\[redacted\]/);
      process.env.CODER_SESSION_TOKEN = `${MARK}-session-token-2`;
      const fromEnv = await runInProcess(runVerify, ["--dotenv", dotenv(issuer), "--idp", "okta", "--format", format, "--coder-url", `http://${base}`]);
      noMarker(fromEnv, `${format}, CODER_SESSION_TOKEN`);
      assert.match(fromEnv.stdout, /answered HTTP 401/);
    }
  });

  it("an error before any check (a bad --dotenv path with a credential in it) masks it too, in JSON as well", async () => {
    const run = await runInProcess(runVerify, ["--dotenv", path.join(dir, "absent.env"), "--idp", "okta", "--format", "json",
      "--coder-url", `https://u:${MARK}-pw@coder.example.com`, "--coder-token", `${MARK}-tok-3`]);
    assert.equal(run.code, 2);
    noMarker(run, "fatal");
    assert.equal((JSON.parse(run.stdout) as { error: { exitCode: number } }).error.exitCode, 2);
  });

  it("a provider's credential variable (OKTA_API_TOKEN, …) is masked wherever it shows", async () => {
    process.env.OKTA_API_TOKEN = `${MARK}-env-token-9`;
    try {
      const run = await runInProcess(runVerify, ["--dotenv", dotenv(`http://${base}/${MARK}-env-token-9`), "--idp", "okta", "--format", "json"]);
      noMarker(run, "OKTA_API_TOKEN");
      assert.match(run.stdout, /\[redacted\]/);
    } finally {
      delete process.env.OKTA_API_TOKEN;
    }
  });

  it("an answer larger than the bound is not read: a clear finding, exit 2", async () => {
    const run = await runInProcess(runVerify, ["--dotenv", dotenv(`http://${base}/big`), "--idp", "okta", "--format", "json"]);
    assert.equal(run.code, 2);
    const report = JSON.parse(run.stdout) as { findings: { check: string; status: string; message: string }[] };
    const discovery = report.findings.find((f) => f.check === "discovery")!;
    assert.equal(discovery.status, "unchecked");
    assert.match(discovery.message, new RegExp(`larger than ${MAX_ANSWER_BYTES} bytes`));
  });

  it("options that do not apply are refused, not ignored (class 10)", async () => {
    const run = await runInProcess(runVerify, ["--dotenv", dotenv(`http://${base}`), "--idp", "okta", "--coder-token", "t0k3n-x", "--stacks-dir", dir]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "error: --stacks-dir goes with --stack only\n--coder-token goes with --coder-url (it is sent to Coder only)\n");
  });
});

describe("files reached through links, FIFOs and devices; parse errors (classes 1, 2)", () => {
  let dir: string;
  let stacks: string;
  let outside: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-links-"));
    stacks = path.join(dir, "stacks");
    fs.mkdirSync(stacks);
    outside = path.join(dir, "outside.yaml");
    fs.writeFileSync(outside, `config:\n  coder-oidc:idp: keycloak\n  keycloak:password: ${MARK}-outside\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a stack file that links out of its folder is refused, exit 2, its content never shown (plan, JSON, review diff)", async () => {
    fs.symlinkSync(outside, path.join(stacks, "Pulumi.linked.yaml"));
    for (const format of ["text", "json"]) {
      const run = await runInProcess(runPlan, ["--stack", "linked", "--stacks-dir", stacks, "--format", format]);
      assert.equal(run.code, 2);
      noMarker(run, format);
      assert.match(run.stderr, /is a symbolic link to a file outside .*: refused/);
    }
    const side = await workingTreeSide(stacks, "linked");
    assert.match(side.failures.get("linked") ?? "", /symbolic link to a file outside/);
    assert.equal(side.stackFiles.get("linked"), "");
    fs.rmSync(path.join(stacks, "Pulumi.linked.yaml"));
  });

  it("a link inside the stacks folder is read", async () => {
    fs.writeFileSync(path.join(stacks, "real.yaml"), "config:\n  coder-oidc:idp: nope\n");
    fs.symlinkSync(path.join(stacks, "real.yaml"), path.join(stacks, "Pulumi.inside.yaml"));
    const run = await runInProcess(runPlan, ["--stack", "inside", "--stacks-dir", stacks]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /coder-oidc:idp/);
  });

  it("a FIFO (no writer) or a device as a stack file, --values or --dotenv: refused at once, never read", async () => {
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    execFileSync("mkfifo", [path.join(stacks, "Pulumi.fifo.yaml")]);
    const plan = await runInProcess(runPlan, ["--stack", "fifo", "--stacks-dir", stacks]);
    assert.equal(plan.code, 2);
    assert.match(plan.stderr, /it is a FIFO \(named pipe\), not a regular file/);
    for (const target of [fifo, "/dev/zero"]) {
      const env = await runInProcess(runEnv, ["--stack", "dev-keycloak", "--source", "offline", "--format", "helm", "--values", target]);
      assert.equal(env.code, 2, target);
      assert.match(env.stderr, /Cannot read --values .*: it is (a FIFO \(named pipe\)|a device), not a regular file/);
      const verify = await runInProcess(runVerify, ["--dotenv", target, "--idp", "okta"]);
      assert.equal(verify.code, 2, target);
      assert.match(verify.stderr, /Cannot read --dotenv/);
    }
  });

  it("YAML errors in a stack file or --values give the line, never the text (a malformed line may hold a secret)", async () => {
    const bad = [`config:\n  keycloak:url: a: ${MARK}-1\n`, `config:\n  keycloak:password: "${MARK}-2\n`, `- ${MARK}-3\nb: ${MARK}-4\n`];
    for (const [i, text] of bad.entries()) {
      fs.writeFileSync(path.join(stacks, `Pulumi.bad${i}.yaml`), text);
      const plan = await runInProcess(runPlan, ["--stack", `bad${i}`, "--stacks-dir", stacks, "--format", "json"]);
      assert.equal(plan.code, 2);
      noMarker(plan, `stack file ${i}`);
      assert.match(plan.stderr, /line \d+/);
      const values = path.join(dir, `values${i}.yaml`);
      fs.writeFileSync(values, text);
      const env = await runInProcess(runEnv, ["--stack", "dev-keycloak", "--source", "offline", "--format", "helm", "--values", values, "--allow-unknown"]);
      assert.equal(env.code, 2);
      noMarker(env, `values ${i}`);
    }
  });
});
