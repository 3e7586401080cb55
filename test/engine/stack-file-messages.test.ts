/**
 * engine/stack-file.ts word for word: each refusal's whole message (file, line, reason, what to do), each reason a
 * value is ambiguous, each encoding and control character, file-system reasons, and where secrets are found.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { ioReason, listStacks, readStackFile, SECRET_PLACEHOLDER } from "../../engine/stack-file";
import { StackFileError } from "../../src/errors";

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-stackfile-messages-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
let count = 0;

/** A new stacks folder holding `Pulumi.s.yaml` with `content`. */
function folderWith(content: string | Buffer): { dir: string; file: string } {
  const dir = path.join(TEMP, `d${count++}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, "Pulumi.s.yaml");
  fs.writeFileSync(file, content);
  return { dir, file };
}

/** The whole message of the StackFileError that reading `content` gives, with the file's path as <file>. */
function refusal(content: string | Buffer): string {
  const { dir, file } = folderWith(content);
  try {
    readStackFile("s", dir);
  } catch (err) {
    assert.ok(err instanceof StackFileError, String(err));
    return err.message.split(file).join("<file>");
  }
  return assert.fail("expected a refusal");
}

const AMBIGUOUS = "<file> has YAML that the Pulumi CLI would read differently, or not at all:\n";
const nested = (value: string) => `config:\n  a:x:\n    n: ${value}\n`;
const ambiguous = (why: string, line = 3) => `${AMBIGUOUS}  - line ${line}: an unquoted value is ambiguous (${why}): put it in quotes`;

describe("each reason a value is ambiguous, word for word", () => {
  const cases: [string, string][] = [
    ["012", "a leading zero makes it octal for Go's yaml and decimal for YAML 1.2"],
    ["-012", "a leading zero makes it octal for Go's yaml and decimal for YAML 1.2"],
    ["00", "a leading zero makes it octal for Go's yaml and decimal for YAML 1.2"],
    ["1_000", "Go's yaml reads _ as a digit separator"],
    ["0x_1F", "Go's yaml reads _ as a digit separator"],
    ["1_0.5", "Go's yaml reads _ as a digit separator"],
    ["0b101", "Go's yaml reads it as a binary number"],
    ["-0B1", "Go's yaml reads it as a binary number"],
    ["-0x1F", "Go's yaml reads it as a number, YAML 1.2 as text"],
    ["+0o17", "Go's yaml reads it as a number, YAML 1.2 as text"],
    ["0X1F", "Go's yaml reads it as a number, YAML 1.2 as text"],
    ["0O17", "Go's yaml reads it as a number, YAML 1.2 as text"],
    ["2026-11-28", "Go's yaml reads it as a timestamp (2026-11-28T00:00:00Z)"],
    ["2026-1-5", "Go's yaml reads it as a timestamp (2026-11-28T00:00:00Z)"],
    ["2026-11-28T10:00:00Z", "Go's yaml reads it as a timestamp (2026-11-28T00:00:00Z)"],
    [".inf", "infinity and NaN have no JSON form"],
    ["-.Inf", "infinity and NaN have no JSON form"],
    [".NaN", "infinity and NaN have no JSON form"],
    ["9007199254740993", "it is too large an integer to keep exactly"],
    ["-9007199254740993", "it is too large an integer to keep exactly"],
  ];
  for (const [value, why] of cases) it(`${value}: ${why}`, () => assert.equal(refusal(nested(value)), ambiguous(why)));

  it("values both read alike pass", () => {
    const { dir } = folderWith(nested("[0x1F, 0o17, 0, 10, 1_a, a_1, 2026, 2026-11, 9007199254740991, 1.5, -0.5, .5, +1, 0.0]"));
    assert.deepEqual(JSON.parse(readStackFile("s", dir).values["a:x"]).n,
      [31, 15, 0, 10, "1_a", "a_1", 2026, "2026-11", 9007199254740991, 1.5, -0.5, 0.5, 1, 0]);
  });

  it("lists every ambiguous value, each on its line", () => {
    assert.equal(refusal("config:\n  a:x:\n    one: 012\n    two: ok\n    three: .nan\n"), `${AMBIGUOUS}` +
      "  - line 3: an unquoted value is ambiguous (a leading zero makes it octal for Go's yaml and decimal for YAML 1.2): put it in quotes\n" +
      "  - line 5: an unquoted value is ambiguous (infinity and NaN have no JSON form): put it in quotes");
  });
});

describe("tags, keys and structure, word for word", () => {
  it("a tag that Go's yaml reads otherwise, on a value, a map or a list", () => {
    assert.equal(refusal("config:\n  a:x: !vault s\n"), `${AMBIGUOUS}  - line 2: the tag !vault is not supported: write the value without it`);
    assert.equal(refusal("config:\n  a:x:\n    k: !!binary aGk=\n"), `${AMBIGUOUS}  - line 3: the tag tag:yaml.org,2002:binary is not supported: write the value without it`);
    // A block map's line is that of its first key.
    assert.equal(refusal("config:\n  a:x: !thing\n    k: v\n"), `${AMBIGUOUS}  - line 3: the tag !thing is not supported`);
    assert.equal(refusal("config:\n  a:x: !list [a]\n"), `${AMBIGUOUS}  - line 2: the tag !list is not supported`);
  });

  it("tags both read alike pass", () => {
    const { dir } = folderWith("config:\n  a:s: !!str 012\n  a:m: !!map {k: !!int 7}\n  a:l: !!seq [!!bool true, !!null ~, !!float 1.5]\n");
    const { values } = readStackFile("s", dir);
    assert.deepEqual([values["a:s"], JSON.parse(values["a:m"]), JSON.parse(values["a:l"])], ["012", { k: 7 }, [true, null, 1.5]]);
  });

  it("map keys that are not text, and keys given twice", () => {
    assert.equal(refusal("config:\n  a:x:\n    ? [a, b]\n    : v\n"), `${AMBIGUOUS}  - line 3: a map key must be text, not a map or list`);
    assert.equal(refusal("config:\n  a:x:\n    1: one\n    true: yes\n"),
      `${AMBIGUOUS}  - line 3: the map key 1 must be text: quote it\n  - line 4: the map key true must be text: quote it`);
    assert.equal(refusal("config:\n  a:x: 1\n  a:x: 2\n"), `${AMBIGUOUS}  - line 3: the key "a:x" is given twice in one map`);
  });

  it("top-level keys Pulumi does not read, with the nearest when there is one", () => {
    assert.equal(refusal("confg: {}\nzzz: 1\n"), "<file> has keys Pulumi does not read:\n" +
      '  - confg: not a stack-file key (did you mean "config"?); the keys are config, secretsprovider, encryptedkey, encryptionsalt, environment\n' +
      "  - zzz: not a stack-file key; the keys are config, secretsprovider, encryptedkey, encryptionsalt, environment");
  });

  it("a document that is not a map, a config that is not one, keys without a namespace", () => {
    assert.equal(refusal("- a\n"), '<file>: expected a YAML map with a "config:" key');
    assert.equal(refusal("just text\n"), '<file>: expected a YAML map with a "config:" key');
    assert.equal(refusal("config: [a]\n"), '<file>: "config:" must be a map of <namespace>:<key> to values');
    assert.equal(refusal("config: text\n"), '<file>: "config:" must be a map of <namespace>:<key> to values');
    assert.equal(refusal("config:\n  idp: keycloak\n  a:b:c: 1\n  'a b:c': 2\n  ok:key: 3\n"), "<file> has malformed config keys:\n" +
      "  - idp: config keys are written <namespace>:<key>, e.g. coder-oidc:idp\n" +
      "  - a:b:c: config keys are written <namespace>:<key>, e.g. coder-oidc:idp\n" +
      "  - a b:c: config keys are written <namespace>:<key>, e.g. coder-oidc:idp");
  });

  it("YAML that does not parse: each error on its line, its first line only", () => {
    const message = refusal("config:\n  a:x: [1\n");
    assert.match(message, /^<file> is not valid YAML:\n {2}- line \d+: [^\n]+$/);
  });
});

describe("encodings and control characters", () => {
  const text = "config:\n  coder-oidc:displayName: Café ✓\n";
  const read = (content: Buffer) => readStackFile("s", folderWith(content).dir).values["coder-oidc:displayName"];

  it("reads UTF-8 with or without a byte order mark, and UTF-16 either way round with one", () => {
    const be = Buffer.from(text, "utf16le").swap16();
    assert.equal(read(Buffer.from(text)), "Café ✓");
    assert.equal(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), "Café ✓");
    assert.equal(read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])), "Café ✓");
    assert.equal(read(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), "Café ✓");
  });

  it("refuses bytes that are not text in their encoding", () => {
    const notText = "<file> is not valid UTF-8 (or UTF-16 with a byte order mark): save it as UTF-8";
    assert.equal(refusal(Buffer.concat([Buffer.from("config:\n  a:x: "), Buffer.from([0xc3, 0x28]), Buffer.from("\n")])), notText);
    assert.equal(refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xd8, 0x41, 0x00])])), notText);
    assert.equal(refusal(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from([0xdc, 0x00])])), notText);
  });

  it("refuses control characters YAML forbids, naming the line and the character", () => {
    for (const [char, code] of [["\u0000", "0000"], ["\u0008", "0008"], ["\u000b", "000B"], ["\u000c", "000C"], ["\u000e", "000E"],
      ["\u001f", "001F"], ["\u007f", "007F"], ["\u0085", "0085"], ["\u009f", "009F"], ["\ufffe", "FFFE"], ["\uffff", "FFFF"]]) {
      assert.equal(refusal(`config:\n  a:x: ok\n  a:y: a${char}b\n`), `<file>:3: control character U+${code} is not allowed in YAML`, code);
    }
  });

  it("takes tabs, carriage returns and the characters around the forbidden ranges", () => {
    const { dir } = folderWith("config:\r\n  a:x: \"a\\tb\"\r\n  a:y: \"\u00a0\u0020~\u00a1\ufffd\"\r\n  a:z:\ta\r\n");
    assert.deepEqual(readStackFile("s", dir).values, { "a:x": "a\tb", "a:y": "\u00a0 ~\u00a1\ufffd", "a:z": "a" });
  });
});

describe("file-system reasons, word for word", () => {
  it("names each error code in words, and the rest by their code and message", () => {
    const err = (code?: string, message = "boom") => Object.assign(new Error(message), code ? { code } : {});
    assert.deepEqual(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "ELOOP"].map((code) => ioReason(err(code))),
      ["it does not exist", "a part of the path is a file, not a folder", "it is a folder, not a file", "permission denied", "permission denied", "too many symbolic links"]);
    assert.equal(ioReason(err("EIO", "i/o error")), "EIO: i/o error");
    assert.equal(ioReason(err(undefined, "plain")), "Error: plain");
    assert.equal(ioReason("text"), "text");
  });

  it("a bad stack name, a missing stack, a folder for a file, a file far too large", () => {
    const { dir, file } = folderWith("config: {}\n");
    fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), "config: {}\n");
    const message = (stack: string, where = dir) => {
      try {
        readStackFile(stack, where);
      } catch (err) {
        return (err as Error).message;
      }
      return assert.fail(stack);
    };
    assert.equal(message("../s"), `"../s" is not a stack name: use letters, digits, '-', '_' and '.' (stacks here: s, t)`);
    assert.equal(message("-s"), `"-s" is not a stack name: use letters, digits, '-', '_' and '.' (stacks here: s, t)`);
    assert.equal(message("nope"), `No stack "nope": ${path.relative(process.cwd(), path.join(dir, "Pulumi.nope.yaml"))} does not exist (stacks here: s, t)`);
    const empty = path.join(TEMP, `e${count++}`);
    fs.mkdirSync(empty);
    assert.match(message("nope", empty), /\(stacks here: none\)$/);
    assert.match(message("nope", path.join(TEMP, "absent")), /\(stacks here: none: Cannot list the stacks folder .*absent: it does not exist\)$/);
    fs.mkdirSync(path.join(dir, "Pulumi.folder.yaml"));
    assert.equal(message("folder"), `Cannot read the stack file ${path.join(dir, "Pulumi.folder.yaml")}: it is a folder, not a file`);
    fs.writeFileSync(path.join(dir, "Pulumi.big.yaml"), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    assert.equal(message("big"), `Cannot read the stack file ${path.join(dir, "Pulumi.big.yaml")}: it is larger than 16777216 bytes`);
    fs.writeFileSync(path.join(dir, "Pulumi.limit.yaml"), Buffer.concat([Buffer.from("config: {}\n"), Buffer.alloc(16 * 1024 * 1024 - 11, 0x20)]));
    assert.deepEqual(readStackFile("limit", dir).values, {});
    assert.ok(file.endsWith("Pulumi.s.yaml"));
  });

  it("lists the stacks that have a file, sorted, and nothing else", () => {
    const { dir } = folderWith("config: {}\n");
    for (const name of ["Pulumi.b.yaml", "Pulumi.a-1.yaml", "Pulumi.yaml", "Pulumi..yaml", "Pulumi.-x.yaml", "pulumi.c.yaml", "Pulumi.d.yml", "Pulumi.e.yaml.bak"]) {
      fs.writeFileSync(path.join(dir, name), "");
    }
    assert.deepEqual(listStacks(dir), ["a-1", "b", "s"]);
  });
});

describe("what a stack file holds", () => {
  it("finds every secret, nested in maps and lists, and only a map of `secure` alone", () => {
    const { dir } = folderWith([
      "config:",
      "  a:whole:",
      "    secure: v1:AAA",
      "  a:nested:",
      "    list:",
      "      - plain",
      "      - key:",
      "          secure: v1:BBB",
      "    notSecret:",
      "      secure: v1:CCC",
      "      other: 1",
      "    number:",
      "      secure: 5",
      "  a:plain: text",
      "",
    ].join("\n"));
    const file = readStackFile("s", dir);
    assert.equal(file.values["a:whole"], SECRET_PLACEHOLDER);
    assert.deepEqual(JSON.parse(file.values["a:nested"]), {
      list: ["plain", { key: SECRET_PLACEHOLDER }], notSecret: { secure: "v1:CCC", other: 1 }, number: { secure: 5 },
    });
    assert.deepEqual([...file.secretKeys].sort(), ["a:nested", "a:whole"]);
    assert.deepEqual([...file.secretPaths!].sort(), ["a:nested.list[1].key", "a:whole"]);
    assert.deepEqual([...file.structuredKeys!].sort(), ["a:nested"]);
  });

  it("reads an empty value as empty text, an alias as its value, and a file of comments as no config", () => {
    const { dir } = folderWith("config:\n  a:empty:\n  a:tilde: ~\n  a:anchor: &v 0x1F\n  a:alias: *v\n");
    assert.deepEqual(readStackFile("s", dir).values, { "a:empty": "", "a:tilde": "", "a:anchor": "0x1F", "a:alias": "0x1F" });
    assert.deepEqual(readStackFile("s", folderWith("# nothing yet\n").dir).values, {});
    assert.deepEqual(readStackFile("s", folderWith("config:\n").dir).values, {});
    assert.deepEqual(readStackFile("s", folderWith("secretsprovider: passphrase\nencryptionsalt: v1:x\n").dir).values, {});
  });
});
