/**
 * Stack files read as the Pulumi CLI reads them (Go's yaml): what it accepts keeps its meaning, what it would
 * read differently or refuse is a StackFileError (exit 2) with a message, never a stack trace or a mangled value.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import nodeFs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { checkStackName, listStacks, readStackFile, STACKS_DIR, type StackFile, stackFileText, stacksDirOf } from "../../engine/stack-file";
import { toolkitRoot } from "../../src/project-paths";
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

describe("plain values: only the forms the two readers disagree on are refused", () => {
  const nested = (value: string) => `config:\n  a:x:\n    k: ${value}\n`;

  it("numbers with _ in every form Go reads them: octal, binary, fractions, exponents", () => {
    for (const value of ["0o1_0", "0b1_0", ".1_5", "1.2_5", "1_0e5", "1_0e-5", "1_0e15"]) {
      assert.match(refusal(nested(value)), /line 3: an unquoted value is ambiguous \(Go's yaml reads _ as a digit separator\)/, value);
    }
  });

  it("a timestamp with a one-digit day and a time", () => {
    assert.match(refusal(nested("2026-1-1T10:00:00Z")), /reads it as a timestamp/);
  });

  it("text that only contains such a form is text to both", () => {
    const values = ["0123abc", "0b1z", "x0b1", "a-0x1", "a0X1", "x2026-01-01", "x.inf", ".infx"];
    const { values: read_ } = read(`config:\n  a:x:\n${values.map((v, i) => `    k${i}: ${v}\n`).join("")}`);
    assert.deepEqual(Object.values(JSON.parse(read_["a:x"]) as Record<string, string>), values);
  });

  it("a quoted value is text, whatever it looks like", () => {
    assert.deepEqual(JSON.parse(read('config:\n  a:x:\n    d: "2026-01-01"\n    n: \'0123\'\n').values["a:x"]), { d: "2026-01-01", n: "0123" });
  });

  it("a map key that is not text is shown as written", () => {
    assert.match(refusal("config:\n  a:x:\n    0x1F: one\n"), /line 3: the map key 0x1F must be text: quote it/);
  });
});

describe("the config map, however it is written", () => {
  it("config given as an alias reads as the map it names", () => {
    const file = read("environment: &e\n  coder-oidc:idp: keycloak\n  coder-oidc:port: 0x1F\n  coder-oidc:x: {a: 1}\nconfig: *e\n");
    assert.deepEqual(file.values, { "coder-oidc:idp": "keycloak", "coder-oidc:port": "0x1F", "coder-oidc:x": '{"a":1}' });
    assert.deepEqual([...file.structuredKeys!], ["coder-oidc:x"]);
  });

  it("a key without a value, written either way, is an empty text", () => {
    const file = read("config:\n  a:x:\n  ? a:y\n");
    assert.deepEqual(file.values, { "a:x": "", "a:y": "" });
    assert.deepEqual([...file.structuredKeys!], []);
  });

  it("a map holding one secure value is structured; a secure value alone is not", () => {
    const file = read("config:\n  a:x:\n    secret: {secure: AAAA}\n  a:y: {secure: BBBB}\n");
    assert.deepEqual([...file.structuredKeys!], ["a:x"]);
    assert.deepEqual([...file.secretPaths!], ["a:x.secret", "a:y"]);
  });
});

describe("encodings: a byte order mark is read whole or not at all", () => {
  it("half a UTF-16 byte order mark is no byte order mark", () => {
    for (const bytes of [[0x61, 0xfe, 0x61, 0x00], [0xff, 0x61, 0x61, 0x00], [0x61, 0xff, 0x00, 0x61], [0xfe, 0x61, 0x00, 0x61]]) {
      assert.match(refusal(Buffer.from(bytes)), /is not valid UTF-8 \(or UTF-16 with a byte order mark\)/, JSON.stringify(bytes));
    }
  });

  it("UTF-16 big-endian with its byte order mark is read", () => {
    const text = Buffer.from("config:\n  a:x: é\n", "utf16le").swap16();
    assert.deepEqual(read(Buffer.concat([Buffer.from([0xfe, 0xff]), text])).values, { "a:x": "é" });
  });
});

describe("problems are located, and listed within bounds", () => {
  it("each YAML error on its own line, at its own line of the file", () => {
    const message = refusal("config:\n  a:x: 1\n   a:y: 2\n  a:z: 3\n  a:w: 4\n");
    assert.deepEqual(message.split("\n").slice(1).map((line) => line.replace(/: [^:]*$/, "")), ["  - line 2", "  - line 2"]);
  });

  it("a file with a problem on every line lists the first 20, then how many more", () => {
    const keys = Array.from({ length: 50 }, (_, i) => `  k${i}: !!binary x\n`).join("");
    const lines = refusal(`config:\n${keys}`).split("\n");
    assert.equal(lines.length, 1 + 20 + 1);
    assert.equal(lines.at(-1), "  - … and 30 more");
    assert.match(lines[20], /^ {2}- line 21: the tag/);
  });

  it("malformed keys are listed within the same bound", () => {
    const keys = Array.from({ length: 25 }, (_, i) => `  k${i}: x\n`).join("");
    assert.equal(refusal(`config:\n${keys}`).split("\n").at(-1), "  - … and 5 more");
  });

  it("nesting deeper than a stack file needs is refused at its line before it is parsed", () => {
    assert.match(refusal("[".repeat(1_000_000)), /Pulumi\.s\.yaml:1: nests maps and lists more than 100 levels deep/);
    assert.match(refusal(`config:\n  a:x: ${"- ".repeat(200_000)}a\n`), /:2: nests maps and lists more than 100 levels deep/);
    let indented = "config:\n  a:x:\n";
    for (let level = 2; level <= 120; level++) indented += `${" ".repeat(level * 2)}k${level}:\n`;
    assert.match(refusal(indented), /:101: nests maps and lists more than 100 levels deep/);
    assert.match(refusal(`config:\n  a:x:\n    ${"[".repeat(99)}${"]".repeat(99)}\n`), /:3: nests/);
  });

  /** `levels` keys, each indented two more than the one before, from the config map's own level down. */
  const indentedKeys = (levels: number, between = "") =>
    Array.from({ length: levels }, (_, i) => `${" ".repeat(2 * (i + 2))}k${i}:\n${between}`).join("");

  it("counts every way of nesting: indentation, { and [, - and ?, and closing brackets end a level", () => {
    const deep = /nests maps and lists more than 100 levels deep/;
    assert.match(refusal(`config:\n  a:x:\n${indentedKeys(110, "# a comment at the margin\n")}`), deep);
    assert.match(refusal(`config:\n  a:x: ${"{a: ".repeat(110)}1${"}".repeat(110)}\n`), deep);
    assert.match(refusal(`config:\n  a:x:\n    ${"? ".repeat(110)}a\n`), deep);
    // Closed levels are closed: three lists of 60 side by side are 61 deep, and a 110-deep one after them is 110.
    const sixty = `${"[".repeat(60)}1${"]".repeat(60)}`;
    const siblings = `config:\n  a:x: [${sixty}, ${sixty}, {a: ${"{a: ".repeat(58)}1${"}".repeat(58)}}]\n`;
    assert.equal(Object.keys(read(siblings).values).length, 1);
    assert.match(refusal(`${siblings}  a:y: ${"[".repeat(110)}1${"]".repeat(110)}\n`), /:3: nests/);
  });

  it("a flow collection's lines add no block levels, nor do ? inside it", () => {
    let lines = "config:\n  a:x:\n";
    for (let i = 0; i < 60; i++) lines += `${" ".repeat(4 + 2 * i)}[\n`;
    lines += `${" ".repeat(124)}1${"]".repeat(60)}\n`;
    assert.equal(Object.keys(read(lines).values).length, 1);
    const keys = Array.from({ length: 120 }, (_, i) => `? k${i}: ${i}`).join(", ");
    assert.equal(Object.keys(JSON.parse(read(`config:\n  a:x: {${keys}}\n`).values["a:x"]) as object).length, 120);
  });

  it("locates the line after multi-line values and CRLF line ends", () => {
    const deepLine = `  a:z: ${"[".repeat(110)}1${"]".repeat(110)}`;
    assert.match(refusal(`config:\n  a:x: |\n    one\n    two\n  a:y: "multi\n    line"\n${deepLine}\n`), /:7: nests/);
    assert.match(refusal(`config:\r\n  a:x: 1\r\n${deepLine}\r\n`), /:3: nests/);
  });

  it("a closing } ends a level as ] does", () => {
    const fifty = `{a: ${"{a: ".repeat(49)}1${"}".repeat(50)}`;
    assert.equal(Object.keys(read(`config:\n  a:x: [${fifty}, ${fifty}]\n`).values).length, 1);
  });

  it("the line after a block scalar starts afresh", () => {
    const text = `config:\n  a:x:\n${indentedKeys(60)}${" ".repeat(124)}t: |\n${" ".repeat(126)}text\n` +
      `  a:y: ${"[".repeat(60)}1${"]".repeat(60)}\n`;
    assert.deepEqual(Object.keys(read(text).values), ["a:x", "a:y"]);
  });

  it("a block scalar does not reset the levels open around it", () => {
    const text = `config:\n  a:x:\n${indentedKeys(60)}${" ".repeat(124)}t: |\n${" ".repeat(126)}text\n` +
      Array.from({ length: 50 }, (_, i) => `${" ".repeat(124 + 2 * i)}m${i}:\n`).join("");
    assert.match(refusal(text), /nests maps and lists more than 100 levels deep/);
  });

  it("nesting within the bound is read, comments and multi-line values included", () => {
    let deep = "config:\n  a:x:\n";
    for (let level = 2; level <= 60; level++) deep += `${" ".repeat(level * 2)}k${level}:\n# a comment at the margin\n`;
    assert.equal(Object.keys(read(`${deep}${" ".repeat(122)}v: 1\n`).values).length, 1);
    const file = read(`config:\n  a:x: |\n    one\n    two\n  a:y: ${"[".repeat(90)}${"]".repeat(90)}\n  a:z: "multi\n    line"\n`);
    assert.deepEqual(Object.keys(file.values), ["a:x", "a:y", "a:z"]);
  });
});

describe("stackFileText: the text the secret fingerprints read", () => {
  it("is the file's text, read as the plan reads it", () => {
    const dir = folderWith("config:\n  a:x: é\n");
    assert.equal(stackFileText(path.join(dir, "Pulumi.s.yaml"), dir), "config:\n  a:x: é\n");
  });

  it("is empty for a file the plan refuses to read: missing, or a link out of the folder", () => {
    const dir = folderWith("");
    const outside = path.join(TEMP, `secret${count++}.txt`);
    fs.writeFileSync(outside, "a key");
    fs.symlinkSync(outside, path.join(dir, "Pulumi.link.yaml"));
    assert.equal(stackFileText(path.join(dir, "Pulumi.link.yaml"), dir), "");
    assert.equal(stackFileText(path.join(dir, "Pulumi.none.yaml"), dir), "");
  });
});

// Last in this file: two of its tests change the working directory for a moment. A mutation run stops the file at its
// first failing test, whenever its signal lands, and its runner then writes its results to the working directory.
describe("the stacks folder and its names", () => {
  it("is the project's stacks/ unless told otherwise", () => {
    assert.equal(STACKS_DIR, path.join(toolkitRoot(), "stacks"));
    assert.equal(stacksDirOf("proj"), path.join(process.cwd(), "proj", "stacks"));
    assert.equal(stacksDirOf("/proj", "/elsewhere"), "/elsewhere");
  });

  it("lists the stacks of the files named Pulumi.<stack>.yaml, sorted", () => {
    const dir = path.join(TEMP, `d${count++}`);
    fs.mkdirSync(dir);
    const stacks = Array.from({ length: 20 }, (_, i) => `s${String(i).padStart(2, "0")}`);
    for (const name of [...stacks].reverse().map((stack) => `Pulumi.${stack}.yaml`).concat("xPulumi.c.yaml", "Pulumi.d.yaml.bak", "Pulumi.yaml")) {
      fs.writeFileSync(path.join(dir, name), "");
    }
    assert.deepEqual(listStacks(dir), stacks);
  });

  it("a folder that cannot be listed is named, even when it is the working folder", (t) => {
    const dir = fs.mkdtempSync(path.join(TEMP, "cwd-"));
    const before = process.cwd();
    process.chdir(dir);
    try {
      // Root lists any folder: a working folder that refuses it is a mocked one.
      t.mock.method(nodeFs, "readdirSync", () => {
        throw Object.assign(new Error("EACCES"), { code: "EACCES" });
      });
      assert.throws(() => listStacks(dir), (err: Error) => err instanceof StackFileError &&
        err.message === `Cannot list the stacks folder ${dir}: permission denied`);
    } finally {
      process.chdir(before);
    }
  });

  it("a working folder deleted under the command is no crash: paths are shown whole", () => {
    const dir = fs.mkdtempSync(path.join(TEMP, "gone-"));
    const before = process.cwd();
    process.chdir(dir);
    try {
      fs.rmSync(dir, { recursive: true });
      assert.throws(() => readStackFile("s", dir), (err: Error) => err instanceof StackFileError &&
        err.message === `No stack "s": ${path.join(dir, "Pulumi.s.yaml")} does not exist (stacks here: none: Cannot list the stacks folder ${dir}: it does not exist)`);
    } finally {
      process.chdir(before);
    }
  });

  it("a folder is named relative to the working folder", () => {
    const before = process.cwd();
    process.chdir(TEMP);
    try {
      assert.throws(() => listStacks(path.join(TEMP, "absent", "stacks")), (err: Error) => err instanceof StackFileError &&
        err.message === `Cannot list the stacks folder ${path.join("absent", "stacks")}: it does not exist`);
    } finally {
      process.chdir(before);
    }
  });

  it("a folder name is shown with its hidden characters escaped", () => {
    assert.throws(() => listStacks(path.join(TEMP, "no\u202eexe.txt")), (err: Error) => err instanceof StackFileError &&
      err.message.includes("no\\u{202E}exe.txt") && !err.message.includes("\u202e"));
  });

  it("a stack name is letters, digits, -, _ and . throughout", () => {
    for (const name of ["dev/../x", "a b", "dev\n"]) {
      assert.throws(() => checkStackName(name, TEMP), (err: Error) => err instanceof StackFileError && /is not a stack name/.test(err.message), name);
    }
    assert.doesNotThrow(() => checkStackName("prod-eu_1.v2", TEMP));
  });

  it("a stack file that cannot be looked at says why, and is not called missing", () => {
    const file = path.join(TEMP, `f${count++}`);
    fs.writeFileSync(file, "");
    assert.throws(() => readStackFile("s", file), (err: Error) => err instanceof StackFileError &&
      err.message === `Cannot read ${path.join(file, "Pulumi.s.yaml")}: a part of the path is a file, not a folder`);
  });
});
