/**
 * The review diff of Okta and Auth0 stacks, from real offline plans of the example stacks before and after a change:
 * each update names its fields (Auth0's nested refreshToken settings by their path).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { planStack, planToJson } from "../../../engine/plan";
import { diffStack, type DiffSide, type PlanJson } from "../../../cli/review/diff";
import { readStackFile, STACKS_DIR } from "../../../engine/stack-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-review-idps-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The example stack planned as it is, and with `edit` applied to its file. */
async function sides(stack: string, edit: (text: string) => string): Promise<[DiffSide, DiffSide]> {
  const text = fs.readFileSync(path.join(STACKS_DIR, `Pulumi.${stack}.yaml`), "utf8");
  const changed = edit(text);
  assert.notEqual(changed, text, "the edit changed the file");
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), changed);
  const side = async (file: ReturnType<typeof readStackFile>, body: string): Promise<DiffSide> => ({
    plans: new Map([[stack, planToJson(await planStack(stack, file)) as PlanJson]]), failures: new Map(), stackFiles: new Map([[stack, body]]),
  });
  return [await side(readStackFile(stack), text), await side(readStackFile(stack, dir), changed)];
}

describe("the review diff of Okta and Auth0 stacks", () => {
  it("Auth0: rotation turned on names refreshToken.rotationType and refreshToken.leeway", async () => {
    const [before, afterSide] = await sides("dev-auth0", (t) => t.replace('coder-oidc:refreshTokenRotation: "off"', 'coder-oidc:refreshTokenRotation: "on"\n  coder-oidc:refreshTokenReuseWindow: 10s'));
    const diff = diffStack("dev-auth0", before, afterSide);
    const client = diff.resources.find((r) => r.resource === "auth0:index/client:Client coder-client");
    assert.deepEqual(client?.fields, [
      { path: "refreshToken.leeway", before: "0", after: "10" },
      { path: "refreshToken.rotationType", before: "non-rotating", after: "rotating" },
    ]);
  });

  it("Okta: rotation turned off names refreshTokenRotation and the leeway that goes", async () => {
    const [before, afterSide] = await sides("prod-okta", (t) => t.replace('coder-oidc:refreshTokenRotation: "on"', 'coder-oidc:refreshTokenRotation: "off"').replace(/\n\s*coder-oidc:refreshTokenReuseWindow: 30s/, ""));
    const app = diffStack("prod-okta", before, afterSide).resources.find((r) => r.resource === "okta:app/oAuth:OAuth coder-app");
    assert.deepEqual(app?.fields, [
      { path: "refreshTokenLeeway", before: "30", after: undefined },
      { path: "refreshTokenRotation", before: "ROTATE", after: "STATIC" },
    ]);
  });
});
