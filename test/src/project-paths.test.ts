import { providerKeysOf } from "../support/idps";
/**
 * The one rule for file paths in stack config: relative to the project root (the directory of Pulumi.yaml),
 * whatever the working directory, the same for a CA of `coder-oidc:pingfederate` and a provider's path keys.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { ConfigError } from "../../src/errors";
import { findProjectRoot, isInlineContent, pemFromConfig, projectRoot, resolveProjectPath } from "../../src/project-paths";
import { providerArgsFromConfig } from "../../src/provider-config";

const REPO_ROOT = resolve(__dirname, "../..");
const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const KEY = "coder-oidc:pingfederate.caCertificate";

describe("the project root", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "project-paths-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is the nearest directory at or above the start that holds Pulumi.yaml", () => {
    mkdirSync(join(dir, "project/src/deep"), { recursive: true });
    writeFileSync(join(dir, "project/Pulumi.yaml"), "name: x\n");
    assert.equal(findProjectRoot(join(dir, "project/src/deep")), join(dir, "project"));
    assert.equal(findProjectRoot(join(dir, "project")), join(dir, "project"));
    assert.equal(findProjectRoot(dir), undefined);
  });

  it("is this repository's root whatever the working directory (the language host starts the program elsewhere)", () => {
    const before = process.cwd();
    try {
      process.chdir(join(REPO_ROOT, "src"));
      assert.equal(projectRoot(), REPO_ROOT);
      process.chdir(dir);
      assert.equal(projectRoot(), REPO_ROOT);
    } finally {
      process.chdir(before);
    }
  });

  it("is the root the engine names when it names one that holds Pulumi.yaml, and ignores one that does not", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { options: { rootDirectory?: string } } } };
    const options = getStore().settings.options;
    const saved = options.rootDirectory;
    try {
      options.rootDirectory = join(dir, "project");
      assert.equal(projectRoot(), join(dir, "project"));
      options.rootDirectory = dir;
      assert.equal(projectRoot(), REPO_ROOT, "a named directory without Pulumi.yaml is not a project root");
      options.rootDirectory = "rootDirectory";
      assert.equal(projectRoot(), REPO_ROOT, "the SDK's placeholder when no root was named");
    } finally {
      options.rootDirectory = saved;
    }
  });
});

describe("resolveProjectPath and isInlineContent", () => {
  it("resolves a relative path against the root and keeps an absolute one", () => {
    assert.equal(resolveProjectPath("certs/ca.pem", "/srv/project"), "/srv/project/certs/ca.pem");
    assert.equal(resolveProjectPath("../shared/ca.pem", "/srv/project"), "/srv/shared/ca.pem");
    assert.equal(resolveProjectPath("/etc/ssl/ca.pem", "/srv/project"), "/etc/ssl/ca.pem");
    assert.equal(resolveProjectPath("certs/ca.pem"), join(REPO_ROOT, "certs/ca.pem"));
  });

  it("takes PEM text and JSON documents as content, anything else as a path", () => {
    assert.equal(isInlineContent(PEM), true);
    assert.equal(isInlineContent("  \n-----BEGIN PRIVATE KEY-----"), true);
    assert.equal(isInlineContent('{"type":"service_account"}'), true);
    assert.equal(isInlineContent("keys/sa.json"), false);
    assert.equal(isInlineContent("BEGIN.pem"), false);
  });
});

describe("pemFromConfig", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "pem-from-config-"));
    mkdirSync(join(root, "certs"));
    writeFileSync(join(root, "certs/ca.pem"), PEM);
    writeFileSync(join(root, "certs/not-pem.txt"), "secret-looking content that must never be quoted");
    execFileSync("mkfifo", [join(root, "certs/fifo.pem")]);
    symlinkSync(join(root, "certs"), join(root, "certs-link"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("passes PEM text through and reads a file relative to the root, whatever the working directory", () => {
    assert.equal(pemFromConfig(KEY, PEM, root), PEM);
    const before = process.cwd();
    try {
      process.chdir(tmpdir());
      assert.equal(pemFromConfig(KEY, "certs/ca.pem", root), PEM);
      assert.equal(pemFromConfig(KEY, join(root, "certs/ca.pem"), "/nowhere"), PEM);
    } finally {
      process.chdir(before);
    }
  });

  it("names the key, the path and the root for a missing file, and is a ConfigError", () => {
    assert.throws(() => pemFromConfig(KEY, "certs/missing.pem", root), (err: ConfigError) => {
      assert.equal(err.code, ConfigError.code);
      assert.deepEqual(err.problems.map((p) => p.key), [KEY]);
      assert.match(err.message, /"certs\/missing\.pem" \(relative to the project root, .*pem-from-config-.*\) \(ENOENT\)/);
      return true;
    });
  });

  it("refuses a FIFO or a directory without reading it (never hangs), and a file without PEM without quoting it", () => {
    assert.throws(() => pemFromConfig(KEY, "certs/fifo.pem", root), /not a regular file/);
    assert.throws(() => pemFromConfig(KEY, "certs-link", root), /not a regular file/);
    assert.throws(() => pemFromConfig(KEY, "certs/not-pem.txt", root), (err: Error) => {
      assert.match(err.message, /holds no PEM certificate/);
      assert.doesNotMatch(err.message, /secret-looking/);
      return true;
    });
  });
});

describe("provider path keys", () => {
  it("resolve a relative path against the project root, keep an absolute path and inline content as they are", async () => {
    const args = providerArgsFromConfig(providerKeysOf("azuread"), {
      values: { clientCertificatePath: "certs/client.pfx", clientSecretFilePath: "/run/secrets/azure", tenantId: "certs/not-a-path" },
      secretKeys: new Set(),
    }, "/srv/project");
    assert.equal(args.clientCertificatePath, "/srv/project/certs/client.pfx");
    assert.equal(args.clientSecretFilePath, "/run/secrets/azure");
    assert.equal(args.tenantId, "certs/not-a-path", "only path keys are resolved");
    const okta = providerArgsFromConfig(providerKeysOf("okta"), { values: { privateKey: PEM }, secretKeys: new Set() }, "/srv/project");
    const gcp = providerArgsFromConfig(providerKeysOf("gcp"), { values: { credentials: "keys/sa.json" }, secretKeys: new Set() }, "/srv/project");
    const unwrap = (value: unknown) => new Promise((done) => (value as { apply(f: (v: unknown) => void): void }).apply(done));
    assert.equal(await unwrap(okta.privateKey), PEM, "PEM content is not a path");
    assert.equal(await unwrap(gcp.credentials), "/srv/project/keys/sa.json", "a secret path key is resolved and stays secret");
    assert.equal(providerArgsFromConfig(providerKeysOf("keycloak"), { values: { jwtTokenFile: "token.jwt" }, secretKeys: new Set() }).jwtTokenFile,
      join(REPO_ROOT, "token.jwt"), "the default root is the project root");
  });
});
