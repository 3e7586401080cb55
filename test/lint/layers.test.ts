/**
 * The layers of eslint.config.mjs, through ESLint's Node API: an import that runs up the layers (or across IdPs,
 * or into the test folders) is an `import-x/no-restricted-paths` error in every form (static, `export ... from`,
 * `import()`, `require()`, from any depth), and the imports the layers allow pass. The files linted are virtual
 * (`lintText` with a path in the repository); what they import is real, since the rule judges resolved files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { ESLint } from "eslint";

const ROOT = join(__dirname, "..", "..");
const RULE = "import-x/no-restricted-paths";
/** Also on in these tests, so that a probe whose import resolves to no file (and so escapes {@link RULE}) fails. */
const UNRESOLVED = "import-x/no-unresolved";

let eslint: ESLint;

/** The layer (and unresolved-import) errors ESLint reports for `code` as if it were the repository file `file`: their file, rule and line. */
async function layerErrors(file: string, code: string): Promise<{ file: string; ruleId: string | null; line: number }[]> {
  const results = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return results.flatMap((result) =>
    result.messages.filter((m) => m.ruleId === RULE || m.ruleId === UNRESOLVED).map((m) => ({ file: result.filePath, ruleId: m.ruleId, line: m.line })));
}

/** Asserts that each line of `code` (one import per line) is a layer error in `file`. */
async function assertCaught(file: string, code: string): Promise<void> {
  const lines = code.trim().split("\n").length;
  assert.deepEqual(await layerErrors(file, `${code.trim()}\n`),
    Array.from({ length: lines }, (_, i) => ({ file: join(ROOT, file), ruleId: RULE, line: i + 1 })));
}

/** Asserts that `code` has no layer error in `file`. */
async function assertAllowed(file: string, code: string): Promise<void> {
  assert.deepEqual(await layerErrors(file, code), []);
}

before(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: join(ROOT, "eslint.config.mjs"),
    overrideConfig: { files: ["**/*.{ts,cjs}"], rules: { [UNRESOLVED]: "error" } } });
});

describe("an import up the layers fails lint", () => {
  it("src/ importing engine/, cli/, idps/, program/ or policy/, from any depth", async () => {
    await assertCaught("src/probe.ts", [
      'import "../engine/plan";',
      'import "../cli/command";',
      'import "../idps/okta/api";',
      'import "../program/index";',
      'import "../policy/index";',
    ].join("\n"));
    await assertCaught("src/verify/probe.ts", 'import { planStack } from "../../engine/plan";');
  });

  it("an IdP's folder importing another IdP's folder, or the registry", async () => {
    await assertCaught("idps/okta/probe.ts", [
      'import "../auth0/api";',
      'import { pfAdminApi } from "../pingfederate/index";',
      'import "../registry";',
    ].join("\n"));
  });

  it("an IdP's folder importing cli/, engine/, program/ or policy/", async () => {
    await assertCaught("idps/auth0/probe.ts", [
      'import "../../cli/command";',
      'import "../../engine/plan";',
      'import "../../program/index";',
      'import "../../policy/index";',
    ].join("\n"));
  });

  it("a top-level idps file (the registry) importing engine/ or cli/", async () => {
    await assertCaught("idps/registry.ts", ['import "../engine/plan";', 'import "../cli/command";'].join("\n"));
  });

  it("program/ and policy/ importing engine/, cli/ or each other", async () => {
    await assertCaught("program/probe.ts", ['import "../engine/plan";', 'import "../cli/command";', 'import "../policy/index";'].join("\n"));
    await assertCaught("policy/probe.ts", ['import "../engine/plan";', 'import "../program/index";'].join("\n"));
  });

  it("engine/ importing cli/", async () => {
    await assertCaught("engine/probe.ts", 'import { runAsProcess } from "../cli/command";');
  });

  it("a product file importing test/, e2e/, bench/ or mutation/", async () => {
    await assertCaught("cli/probe.ts", [
      'import "../test/support/program";',
      'import "../e2e/support/context";',
      'import "../bench/drift";',
      'import "../mutation/run";',
    ].join("\n"));
    await assertCaught("idps/google/probe.ts", 'import "../../test/support/program";');
  });

  it("e2e/ importing test/", async () => {
    await assertCaught("e2e/support/probe.ts", 'import "../../test/support/program";');
  });

  it("every form of import: type-only, export ... from, dynamic import() and require()", async () => {
    await assertCaught("engine/probe.ts", [
      'import type { runAsProcess } from "../cli/command";',
      'export { runAsProcess } from "../cli/command";',
      'export * from "../cli/command";',
      'export const later = () => import("../cli/command");',
      'export const now = require("../cli/command");',
    ].join("\n"));
    await assertCaught("policy/probe.cjs", 'require("../cli/main.ts");');
  });
});

describe("the imports the layers allow pass", () => {
  it("src/ importing src/ and npm packages", async () => {
    await assertAllowed("src/probe.ts", ['import "./errors";', 'import "./policy/rule";', 'import "yaml";', 'import "node:fs";'].join("\n"));
  });

  it("an IdP's folder importing src/ and its own folder", async () => {
    await assertAllowed("idps/okta/probe.ts", ['import "./api";', 'import "../../src/errors";', 'import "@pulumi/okta";'].join("\n"));
  });

  it("a top-level idps file importing src/ and every IdP's folder", async () => {
    await assertAllowed("idps/registry.ts", ['import "./okta/component";', 'import "./pingfederate/index";', 'import "../src/errors";'].join("\n"));
  });

  it("program/ and policy/ importing src/ and idps/", async () => {
    await assertAllowed("program/probe.ts", ['import "../src/errors";', 'import "../idps/keycloak/component";'].join("\n"));
    await assertAllowed("policy/probe.ts", ['import "../src/policy/rule";', 'import "../idps/auth0/policy";'].join("\n"));
  });

  it("engine/ importing src/, idps/, policy/ and program/, in every form", async () => {
    await assertAllowed("engine/probe.ts", [
      'import "../src/errors";',
      'import "../idps/okta/api";',
      'export * from "../policy/index";',
      'export const later = () => import("../program/index");',
    ].join("\n"));
  });

  it("cli/ importing the whole product", async () => {
    await assertAllowed("cli/probe.ts", ['import "../engine/plan";', 'import "../program/index";', 'import "./command";'].join("\n"));
  });

  it("e2e/ importing the product; test/, bench/ and mutation/ importing anything", async () => {
    await assertAllowed("e2e/probe.ts", ['import "../cli/command";', 'import "../engine/plan";'].join("\n"));
    for (const file of ["test/probe.ts", "bench/probe.ts", "mutation/probe.ts"]) {
      await assertAllowed(file, ['import "../e2e/support/context";', 'import "../test/support/program";', 'import "../cli/command";'].join("\n"));
    }
  });
});
