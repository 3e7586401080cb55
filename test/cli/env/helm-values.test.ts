import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isAlias, type Node, parse, parseDocument, visit } from "yaml";
import { helmEnv } from "../../../cli/env/render";
import { HelmValuesError, mergeHelmValues } from "../../../cli/env/helm-values";
import type { CoderEnvEntry } from "../../../engine/plan";

/** A Coder values file as users keep it (after coder/coder's helm/coder/values.yaml), with comments. */
const USER_VALUES = `# Coder deployment for prod: see https://coder.com/docs/install/kubernetes
coder:
  # Environment for coderd.
  env:
    - name: CODER_ACCESS_URL
      value: "https://coder.example.com" # the public URL
    - name: CODER_PG_CONNECTION_URL
      valueFrom:
        secretKeyRef:
          name: coder-db-url
          key: url
    # OIDC, first attempt; replaced by coder-oidc
    - name: CODER_OIDC_ISSUER_URL
      value: https://old.example.com
    - name: CODER_OIDC_SCOPES
      value: openid
    - name: CODER_OIDC_SCOPES
      value: duplicate
    - name: CODER_TELEMETRY_ENABLE
      value: "false"
  service:
    type: LoadBalancer # keep it public
  resources:
    limits: {cpu: 2000m, memory: 4096Mi}
`;

const ENTRIES: CoderEnvEntry[] = [
  { name: "CODER_OIDC_ISSUER_URL", known: true, secret: false, value: "https://sso.example.com/realms/main" },
  { name: "CODER_OIDC_CLIENT_ID", known: true, secret: false, value: "coder" },
  { name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: "never-in-helm" },
  { name: "CODER_OIDC_SCOPES", known: true, secret: false, value: "openid,profile,email,offline_access" },
];

type Env = { name: string; value?: string; valueFrom?: unknown }[];

describe("Helm values merged into the user's own values file", () => {
  const merged = mergeHelmValues(USER_VALUES, helmEnv(ENTRIES, { name: "coder-oidc", key: "client-secret" }));
  const env = (parse(merged) as { coder: { env: Env } }).coder.env;

  it("keeps every other entry of coder.env, in order, exactly", () => {
    const before = (parse(USER_VALUES) as { coder: { env: Env } }).coder.env.filter((e) => !e.name.startsWith("CODER_OIDC_"));
    assert.deepEqual(env.filter((e) => !e.name.startsWith("CODER_OIDC_")), before);
    assert.deepEqual(env.map((e) => e.name).slice(0, 2), ["CODER_ACCESS_URL", "CODER_PG_CONNECTION_URL"]);
  });

  it("replaces the CODER_OIDC_* entries in place and adds the missing ones, once each", () => {
    assert.deepEqual(env.map((e) => e.name), [
      "CODER_ACCESS_URL", "CODER_PG_CONNECTION_URL", "CODER_OIDC_ISSUER_URL", "CODER_OIDC_SCOPES", "CODER_TELEMETRY_ENABLE",
      "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET",
    ]);
    assert.equal(env.find((e) => e.name === "CODER_OIDC_ISSUER_URL")?.value, "https://sso.example.com/realms/main");
    assert.equal(env.find((e) => e.name === "CODER_OIDC_SCOPES")?.value, "openid,profile,email,offline_access");
  });

  it("the client secret is a secretKeyRef, never its value", () => {
    assert.ok(!merged.includes("never-in-helm"));
    assert.deepEqual(env.find((e) => e.name === "CODER_OIDC_CLIENT_SECRET"), {
      name: "CODER_OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "coder-oidc", key: "client-secret" } },
    });
  });

  it("keeps every other key and every comment", () => {
    const other = parse(merged) as { coder: Record<string, unknown> };
    assert.deepEqual(other.coder.service, { type: "LoadBalancer" });
    assert.deepEqual(other.coder.resources, { limits: { cpu: "2000m", memory: "4096Mi" } });
    for (const comment of ["# Coder deployment for prod", "# Environment for coderd.", "# the public URL", "# keep it public", "# OIDC, first attempt"]) {
      assert.ok(merged.includes(comment), comment);
    }
  });

  it("an entry that switches between value and valueFrom keeps only the new one", () => {
    const out = mergeHelmValues("coder:\n  env:\n    - name: CODER_OIDC_CLIENT_SECRET\n      value: plain\n", helmEnv(ENTRIES.slice(2, 3)));
    assert.deepEqual((parse(out) as { coder: { env: Env } }).coder.env, [{ name: "CODER_OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "coder-oidc", key: "client-secret" } } }]);
  });

  it("creates coder.env in a file that has none, or an empty file", () => {
    for (const text of ["", "coder:\n  image:\n    tag: v2.24.0\n", "coder:\n"]) {
      const out = parse(mergeHelmValues(text, helmEnv(ENTRIES.slice(0, 1)))) as { coder: { env: Env } };
      assert.deepEqual(out.coder.env, [{ name: "CODER_OIDC_ISSUER_URL", value: "https://sso.example.com/realms/main" }], JSON.stringify(text));
    }
  });

  it("refuses a file it cannot merge into, saying why", () => {
    for (const [text, why] of [["coder: [1]\n", /coder must be a map/], ["coder:\n  env: {a: 1}\n", /coder.env must be a list/], ["a: [\n", /not valid YAML/], ["- 1\n", /a map of Helm values/]] as const) {
      assert.throws(() => mergeHelmValues(text, []), (err: Error) => err instanceof HelmValuesError && why.test(err.message), text);
    }
  });
});

describe("mergeHelmValues: the edges", () => {
  const issuer = { name: "CODER_OIDC_ISSUER_URL", value: "https://sso.example.com/realms/main" };
  const secretRef = { name: "CODER_OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "coder-oidc", key: "client-secret" } } };

  it("writes the whole file for an empty or null document, and for a null coder or coder.env", () => {
    const written = "coder:\n  env:\n    - name: CODER_OIDC_ISSUER_URL\n      value: https://sso.example.com/realms/main\n";
    for (const text of ["", "~\n", "null\n", "coder:\n", "coder: null\n", "coder:\n  env:\n", "coder:\n  env: ~\n"]) {
      assert.equal(mergeHelmValues(text, [issuer]), written, JSON.stringify(text));
    }
  });

  it("refuses nesting deeper than Helm values need, at its line, before parsing it", () => {
    assert.throws(() => mergeHelmValues(`coder:\n  x: ${"[".repeat(500_000)}\n`, [issuer], "values.yaml"), (err: Error) =>
      err instanceof HelmValuesError && err.message === "values.yaml:2: nests maps and lists more than 100 levels deep; Helm values need a few");
  });

  it("lists the first 20 YAML errors, then how many more", () => {
    const text = Array.from({ length: 30 }, (_, i) => `k${i}: @bad\n`).join("");
    assert.throws(() => mergeHelmValues(text, [issuer]), (err: Error) => err instanceof HelmValuesError &&
      err.message.split("\n").length === 22 && err.message.endsWith("\n  - … and 10 more"));
  });

  it("refuses a value that is there but not a map or list, rather than write over it", () => {
    for (const [text, message] of [
      ["5\n", "values.yaml: expected a map of Helm values at the top"],
      ["text\n", "values.yaml: expected a map of Helm values at the top"],
      ["coder: 5\n", "values.yaml: coder must be a map"],
      ["coder: ''\n", "values.yaml: coder must be a map"],
      ["coder:\n  env: CODER_ACCESS_URL\n", "values.yaml: coder.env must be a list of {name, value} entries"],
      ["coder:\n  env: false\n", "values.yaml: coder.env must be a list of {name, value} entries"],
    ] as const) {
      assert.throws(() => mergeHelmValues(text, [issuer], "values.yaml"), (err: Error) => err instanceof HelmValuesError && err.message === message, text);
    }
  });

  it("names the file and every YAML error", () => {
    assert.throws(() => mergeHelmValues("a: [\nb: {\n", [], "values.yaml"), (err: Error) => {
      assert.ok(err instanceof HelmValuesError);
      assert.ok(err.message.startsWith("values.yaml is not valid YAML:\n  - line 2: Flow sequence in block collection"), err.message);
      assert.ok(err.message.includes("\n  - line 3: Flow map in block collection"), err.message);
      return true;
    });
    assert.throws(() => mergeHelmValues("- 1\n", []), { message: "the values file: expected a map of Helm values at the top" });
  });

  it("replaces a secretKeyRef by a value, keeping nothing of the old one", () => {
    const text = "coder:\n  env:\n    - name: CODER_OIDC_ISSUER_URL # the IdP\n      valueFrom:\n        secretKeyRef: {name: s, key: k}\n";
    assert.equal(mergeHelmValues(text, [issuer]),
      "coder:\n  env:\n    - name: CODER_OIDC_ISSUER_URL # the IdP\n      value: https://sso.example.com/realms/main\n");
    assert.deepEqual((parse(mergeHelmValues("coder:\n  env:\n    - name: CODER_OIDC_CLIENT_SECRET\n      value: x\n", [secretRef])) as
      { coder: { env: Env } }).coder.env, [secretRef]);
  });

  it("keeps only the first of a name given several times, and every other entry in its place", () => {
    const text = "coder:\n  env:\n" + [["CODER_OIDC_ISSUER_URL", "a"], ["KEEP_1", "1"], ["CODER_OIDC_ISSUER_URL", "b"], ["KEEP_2", "2"],
      ["CODER_OIDC_ISSUER_URL", "c"], ["KEEP_3", "3"]].map(([n, v]) => `    - name: ${n}\n      value: "${v}"\n`).join("");
    assert.deepEqual((parse(mergeHelmValues(text, [issuer])) as { coder: { env: Env } }).coder.env,
      [issuer, { name: "KEEP_1", value: "1" }, { name: "KEEP_2", value: "2" }, { name: "KEEP_3", value: "3" }]);
  });
});

describe("mergeHelmValues: aliases and merge keys into coder.env (class 12)", () => {
  const OIDC: HelmEnvEntryLike[] = [{ name: "CODER_OIDC_CLIENT_ID", value: "new" }];
  type HelmEnvEntryLike = { name: string; value: string };
  const envOf = (text: string) => (parse(text, { merge: true }) as { coder: { env: Env } }).coder.env;

  it("an entry aliased from outside the list is replaced once, with no stale value, and the anchor is left as it was", () => {
    const values = "common: &e\n  name: CODER_OIDC_CLIENT_ID\n  value: old\ncoder:\n  env:\n    - *e\n    - name: CODER_ACCESS_URL\n      value: https://x\n    - *e\n";
    const merged = mergeHelmValues(values, OIDC);
    assert.deepEqual(envOf(merged), [{ name: "CODER_OIDC_CLIENT_ID", value: "new" }, { name: "CODER_ACCESS_URL", value: "https://x" }]);
    assert.deepEqual((parse(merged) as { common: unknown }).common, { name: "CODER_OIDC_CLIENT_ID", value: "old" });
  });

  it("a name given by an alias, or an entry built with a merge key, counts as that name", () => {
    const byName = "n: &n CODER_OIDC_CLIENT_ID\ncoder:\n  env:\n    - name: *n\n      value: old\n";
    assert.deepEqual(envOf(mergeHelmValues(byName, OIDC)), [{ name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
    const merged = "base: &b\n  name: CODER_OIDC_CLIENT_ID\n  valueFrom: {secretKeyRef: {name: s, key: k}}\ncoder:\n  env:\n    - <<: *b\n";
    assert.deepEqual(envOf(mergeHelmValues(merged, OIDC)), [{ name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
  });

  it("coder.env (or coder) that is an alias becomes the file's own list, and the anchored list is not changed", () => {
    const values = "shared: &list\n  - name: CODER_OIDC_CLIENT_ID\n    value: old\n  - name: CODER_ACCESS_URL\n    value: https://x\ncoder:\n  env: *list\n";
    const merged = mergeHelmValues(values, OIDC);
    assert.deepEqual(envOf(merged), [{ name: "CODER_OIDC_CLIENT_ID", value: "new" }, { name: "CODER_ACCESS_URL", value: "https://x" }]);
    assert.deepEqual((parse(merged) as { shared: Env }).shared[0], { name: "CODER_OIDC_CLIENT_ID", value: "old" });
    const whole = "base: &c\n  env:\n    - name: CODER_ACCESS_URL\n      value: https://x\ncoder: *c\n";
    assert.deepEqual(envOf(mergeHelmValues(whole, OIDC)), [{ name: "CODER_ACCESS_URL", value: "https://x" }, { name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
    const viaMerge = "base: &c\n  env:\n    - name: CODER_ACCESS_URL\n      value: https://x\ncoder:\n  <<: *c\n";
    assert.deepEqual(envOf(mergeHelmValues(viaMerge, OIDC)), [{ name: "CODER_ACCESS_URL", value: "https://x" }, { name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
  });

  it("an aliased coder.env is copied with no anchor and no alias of its own: the copy shares nothing", () => {
    const values = "shared: &list\n  - &acc\n    name: CODER_ACCESS_URL\n    value: &url https://x\n  - name: CODER_REDIRECT_URL\n    value: *url\ncoder:\n  env: *list\n";
    const merged = mergeHelmValues(values, OIDC);
    assert.deepEqual(envOf(merged), [{ name: "CODER_ACCESS_URL", value: "https://x" }, { name: "CODER_REDIRECT_URL", value: "https://x" },
      { name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
    assert.deepEqual((parse(merged) as { shared: Env }).shared, [{ name: "CODER_ACCESS_URL", value: "https://x" }, { name: "CODER_REDIRECT_URL", value: "https://x" }]);
    const shared: string[] = [];
    visit(parseDocument(merged).getIn(["coder", "env"], true) as Node, {
      Node(_key, n) {
        if (isAlias(n)) shared.push(`*${n.source}`);
        else if (n.anchor) shared.push(`&${n.anchor}`);
      },
    });
    assert.deepEqual(shared, []);
  });

  it("an entry with a merge key and keys of its own is written out anew: nothing comes from the merged map", () => {
    const values = "base: &b\n  valueFrom: {secretKeyRef: {name: s, key: k}}\ncoder:\n  env:\n    - <<: *b\n      name: CODER_OIDC_CLIENT_ID\n";
    assert.deepEqual(envOf(mergeHelmValues(values, OIDC)), [{ name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
  });

  it("an aliased entry written out anew keeps its comments", () => {
    const values = "common: &e\n  name: CODER_OIDC_CLIENT_ID\n  value: old\ncoder:\n  env:\n    # the client\n    - *e # shared\n";
    const merged = mergeHelmValues(values, OIDC);
    assert.ok(merged.includes("# the client\n    - name: CODER_OIDC_CLIENT_ID\n"), merged);
    assert.match(merged, /# shared/);
  });

  it("leaves entries that are no map (a string, an empty item) as they are", () => {
    const merged = mergeHelmValues("coder:\n  env:\n    - CODER_ACCESS_URL=https://x\n    -\n", OIDC);
    assert.deepEqual(envOf(merged), ["CODER_ACCESS_URL=https://x", null, { name: "CODER_OIDC_CLIENT_ID", value: "new" }]);
  });

  it("never quotes the file in its errors (a malformed line may hold a credential)", () => {
    const values = "coder:\n  env:\n    - name: CODER_PG_CONNECTION_URL\n      value: postgres://u:MARKER-pg@db/x\n      b: c: MARKER-2\n    x: \"MARKER-3\n";
    assert.throws(() => mergeHelmValues(values, OIDC, "values.yaml"), (err: Error) => {
      assert.ok(err instanceof HelmValuesError);
      assert.doesNotMatch(err.message, /MARKER/);
      assert.match(err.message, /line \d+/);
      return true;
    });
  });
});
