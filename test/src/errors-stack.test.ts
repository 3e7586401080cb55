/**
 * Every coded error class, whatever its layer: its `stack` starts with its name and holds its message (anything
 * that prints `err.stack` shows what to fix), and Node, when one is thrown uncaught, prints that message.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DotenvValueError } from "../../cli/env/render";
import { ReviewDiffError } from "../../cli/review/ref";
import { PulumiCliError } from "../../engine/env-source";
import { PlanFailedError } from "../../engine/plan";
import { IdpApiError } from "../../src/api-http";
import { AdoptionError, CoderOidcError, ConfigError, StackFileError } from "../../src/errors";
import { PfApiError } from "../../idps/pingfederate/coded-errors";

const ROOT = path.resolve(__dirname, "..", "..");

/** One instance of every coded error class, each with a message of its own. */
const EVERY_CLASS: readonly CoderOidcError[] = [
  new CoderOidcError("plain failure"),
  new ConfigError([{ key: "coder-oidc:idp", message: "is required" }]),
  new StackFileError("stacks/Pulumi.x.yaml does not exist"),
  new PfApiError({ method: "GET", path: "/oauth/clients/coder", status: 401, apiMessage: "Unauthorized", validationErrors: [] }),
  new AdoptionError("no client coder in realm coder"),
  new IdpApiError("GET", "https://idp.example.com/api", 503, "unavailable"),
  new PulumiCliError("pulumi stack output failed"),
  new PlanFailedError("the program failed"),
  new ReviewDiffError("git is needed for --diff"),
  new DotenvValueError("X holds a line break"),
];

describe("a coded error's stack", () => {
  it("starts with its name and code, then its message, with no frames, for every class", () => {
    const names = new Set<string>();
    for (const err of EVERY_CLASS) {
      names.add(err.name);
      const stack = String(err.stack);
      assert.ok(stack.startsWith(`${err.name} [${err.code}]: `), stack);
      assert.ok(stack.includes(err.message), stack);
      assert.doesNotMatch(stack, /\n\s+at /, stack);
    }
    assert.equal(names.size, EVERY_CLASS.length, "one instance of each class");
  });

  it("is what Node prints of one thrown uncaught: its name and its message", () => {
    const script = 'require("tsx/cjs"); const { ConfigError } = require("./src/errors.ts");\n' +
      'throw new ConfigError([{ key: "coder-oidc:coderUrl", message: "must use https" }]);';
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /ConfigError \[ERR_CONFIG_INVALID\]: Invalid stack configuration:\n {2}- coder-oidc:coderUrl: must use https/);
  });
});
