/**
 * Stack files read as the Pulumi CLI reads them (Go's yaml): what it accepts keeps its meaning, what it would
 * read differently or refuse is a StackFileError (exit 2) with a message, never a stack trace or a mangled value.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { listStacks, readStackFile, type StackFile } from "../../engine/stack-file";
import { StackFileError } from "../../src/errors";

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-stackfile-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
let count = 0;

/** A stacks folder holding `Pulumi.s.yaml` with `content`; returns the folder. */
function folderWith(content: string | Buffer): string {
  const dir = path.join(TEMP, `d${count++}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), content);
  return dir;
}

function read(content: string | Buffer): StackFile {
  return readStackFile("s", folderWith(content));
}

function refusal(content: string | Buffer): string {
  try {
    read(content);
  } catch (err) {
    assert.ok(err instanceof StackFileError, `a StackFileError, got ${String(err)}`);
    assert.equal(err.code, "ERR_STACK_FILE");
    assert.ok(!/\n\s+at /.test(err.message), "no stack trace in the message");
    return err.message;
  }
  assert.fail("expected the stack file to be refused");
}

describe("YAML that means the same to the Pulumi CLI is accepted", () => {
  it("a plain config value reaches the program as written, as Pulumi hands it over", () => {
    const { values } = read("config:\n  a:hex: 0x1F\n  a:float: 1.10\n  a:bool: TRUE\n  a:octal: 0o17\n  a:date: 2026-11-28\n  a:lead: 012\n  a:null: ~\n");
    assert.deepEqual(values, { "a:hex": "0x1F", "a:float": "1.10", "a:bool": "TRUE", "a:octal": "0o17", "a:date": "2026-11-28", "a:lead": "012", "a:null": "" });
  });
  it("quoted and block scalars keep their text", () => {
    const { values } = read('config:\n  a:q: "x\\ty"\n  a:s: \'it\'\'s\'\n  a:b: |\n    line1\n    line2\n');
    assert.deepEqual(values, { "a:q": "x\ty", "a:s": "it's", "a:b": "line1\nline2\n" });
  });
  it("anchors, aliases and merge keys resolve as in Go's yaml", () => {
    const merged = read("config:\n  a:one: &one {realm: main}\n  a:two:\n    <<: *one\n    extra: 1\n  a:three: *one\n").values;
    assert.deepEqual(JSON.parse(merged["a:two"]), { realm: "main", extra: 1 });
    assert.deepEqual(JSON.parse(merged["a:three"]), { realm: "main" });
  });
  it("a UTF-8 byte order mark and UTF-16 with a byte order mark are read", () => {
    const text = "config:\n  coder-oidc:displayName: Café\n";
    assert.equal(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).values["coder-oidc:displayName"], "Café");
    assert.equal(read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])).values["coder-oidc:displayName"], "Café");
  });
  it("an empty file is an empty config", () => assert.deepEqual(read("").values, {}));
  it("nested values that both read alike are kept: text with _ or x, hex, floats, YAML 1.1 words as text", () => {
    const { values } = read("config:\n  a:x:\n    id: a_1\n    name: snake_case\n    hex: 0x1F\n    oct: 0o17\n    f: 1.5e3\n    yes: yes\n    t: true\n");
    assert.deepEqual(JSON.parse(values["a:x"]), { id: "a_1", name: "snake_case", hex: 31, oct: 15, f: 1500, yes: "yes", t: true });
  });
  it("maps and lists are marked as written structured", () => {
    const file = read("config:\n  coder-oidc:displayName: {a: 1}\n  coder-oidc:idp: keycloak\n");
    assert.deepEqual([...file.structuredKeys!], ["coder-oidc:displayName"]);
  });
});

describe("YAML that the Pulumi CLI reads differently, or refuses, is refused with a message", () => {
  const cases: readonly [string, string | Buffer, RegExp][] = [
    ["a nested leading-zero integer (octal in Go)", "config:\n  a:x:\n    n: 012\n", /line 3: .*leading zero.*quotes/],
    ["a nested _ digit separator", "config:\n  a:x:\n    n: 1_000\n", /digit separator/],
    ["a nested binary number", "config:\n  a:x:\n    n: 0b101\n", /binary/],
    ["a nested float with _", "config:\n  a:x:\n    n: 1_0.5\n", /digit separator/],
    ["a nested upper-case hex prefix", "config:\n  a:x:\n    n: 0X1F\n", /number, YAML 1.2 as text/],
    ["a nested signed hex", "config:\n  a:x:\n    n: -0x1F\n", /number, YAML 1.2 as text/],
    ["a nested timestamp", "config:\n  a:x:\n    d: 2026-11-28\n", /timestamp/],
    ["a nested infinity", "config:\n  a:x:\n    n: .inf\n", /infinity/],
    ["a nested integer beyond 2^53", "config:\n  a:x:\n    n: 123456789012345678901\n", /too large/],
    ["a custom tag", "config:\n  a:x: !vault secret\n", /tag !vault is not supported/],
    ["a binary tag", "config:\n  a:x: !!binary aGVsbG8=\n", /tag tag:yaml.org,2002:binary is not supported/],
    ["a duplicate key", "config:\n  a:x: 1\n  a:x: 2\n", /"a:x" is given twice/],
    ["a duplicate nested key", "config:\n  a:x:\n    k: 1\n    k: 2\n", /"k" is given twice/],
    ["a non-text map key", "config:\n  a:x:\n    1: one\n", /map key 1 must be text/],
    ["a NUL byte", "config:\n  a:x: a\u0000b\n", /:2: control character U\+0000/],
    ["another control character", "config:\n  a:x: a\u001bb\n", /U\+001B/],
    ["bytes that are not UTF-8", Buffer.from([0x63, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x3a, 0x0a, 0x20, 0x20, 0x61, 0x3a, 0x78, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), /not valid UTF-8/],
    ["several documents", "config: {}\n---\nconfig: {}\n", /not valid YAML:\n {2}- line \d+: Source contains multiple documents/],
    ["malformed YAML", "config:\n  a:x: [1\n", /not valid YAML:\n {2}- line \d+:/],
    ["an alias bomb", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nconfig:\n  a:x: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n", /Pulumi does not read|cannot be read|alias/i],
    ["a misspelt top-level key", "confg:\n  coder-oidc:idp: keycloak\n", /confg: not a stack-file key \(did you mean "config"\?\)/],
    ["a top level that is not a map", "- a\n- b\n", /expected a YAML map/],
    ["config that is not a map", "config: [a]\n", /must be a map of <namespace>:<key>/],
    ["a config key without a namespace", "config:\n  idp: keycloak\n", /idp: config keys are written <namespace>:<key>/],
  ];
  for (const [what, content, message] of cases) it(`${what}`, () => assert.match(refusal(content), message));

  it("a malformed line is located, never quoted: it may hold a plaintext secret", () => {
    const message = refusal("config:\n  a:password: [Hunter2-Plain-Secret\n");
    assert.ok(!message.includes("Hunter2"), message);
  });

  it("an ambiguous value is located, never quoted", () => {
    assert.ok(!refusal("config:\n  a:x:\n    pin: 0123456\n").includes("0123456"));
  });
});

describe("file-system problems are StackFileErrors with the reason", () => {
  it("a directory where the stack file should be", () => {
    const dir = path.join(TEMP, `d${count++}`);
    fs.mkdirSync(path.join(dir, "Pulumi.s.yaml"), { recursive: true });
    assert.throws(() => readStackFile("s", dir), (err: Error) => err instanceof StackFileError && /it is a folder, not a file/.test(err.message));
  });
  it("a file where the stacks folder should be", () => {
    const file = path.join(TEMP, `f${count++}`);
    fs.writeFileSync(file, "");
    assert.throws(() => listStacks(file), (err: Error) => err instanceof StackFileError && /Cannot list the stacks folder.*not a folder|ENOTDIR/.test(err.message));
    assert.throws(() => readStackFile("s", file), (err: Error) => err instanceof StackFileError);
  });
  it("a missing stacks folder", () => {
    assert.throws(() => listStacks(path.join(TEMP, "absent")), (err: Error) => err instanceof StackFileError && /it does not exist/.test(err.message));
  });
  it("a missing stack names the stacks there", () => {
    assert.throws(() => readStackFile("nope", folderWith("config: {}\n")), (err: Error) => err instanceof StackFileError && /No stack "nope".*stacks here: s\)/.test(err.message));
  });
  // How the time grows with the size is measured by `npm run bench` (bench/config-scale.ts), not asserted here.
  it("reads 200 000 keys, each with its value", () => {
    const lines = ["config:"];
    for (let i = 0; i < 200_000; i++) lines.push(`  other:key${i}: v${i}`);
    const { values } = read(lines.join("\n") + "\n");
    assert.equal(Object.keys(values).length, 200_000);
    assert.deepEqual([values["other:key0"], values["other:key199999"]], ["v0", "v199999"]);
  });
});
