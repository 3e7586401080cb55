/** The one helper for what commands print of outside values (src/safe-text.ts): escaping, caps, masking. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { capLength, escapeHidden, listedLines, Masker, MAX_LISTED_PROBLEMS, maskUrlUserInfo, safeMessage, shown, urlCredentials, yamlProblemText } from "../../src/safe-text";

describe("escaping and caps (class 11)", () => {
  it("escapes controls, bidirectional and invisible characters, and nothing else", () => {
    assert.equal(escapeHidden("a\nb\tc\rd"), "a\\nb\\tc\\rd");
    assert.equal(escapeHidden("x\u202Ey\u2066z\u200Bw\uFEFF\u0000\u001b\u007f\u0085\u2028"), "x\\u{202E}y\\u{2066}z\\u{200B}w\\u{FEFF}\\u{0000}\\u{001B}\\u{007F}\\u{0085}\\u{2028}");
    assert.equal(escapeHidden("café ✔ 日本 ü"), "café ✔ 日本 ü");
  });
  it("caps at 200 characters by default, saying the full length; code points are not split", () => {
    assert.equal(capLength("a".repeat(200)), "a".repeat(200));
    assert.equal(capLength("a".repeat(201)), `${"a".repeat(200)}… (201 characters)`);
    assert.equal(capLength("😀".repeat(3), 2), "😀😀… (3 characters)");
    assert.equal(shown("\n".repeat(3), 2), "\\n\\n… (3 characters)");
    assert.equal(shown(42), "42");
    assert.equal(shown("ab", 2), "ab");
  });
  it("a message keeps its own line breaks and tabs, escapes the rest", () => {
    assert.equal(safeMessage("one\n\ttwo\u202E\r"), "one\n\ttwo\\u{202E}\\r");
  });
  it("a YAML message loses the excerpt, the caret and any quoted token", () => {
    assert.equal(yamlProblemText('Unexpected scalar token in YAML stream: "s3cret"'), "Unexpected scalar token in YAML stream");
    assert.equal(yamlProblemText("Nested mappings are not allowed at line 1, column 4:\n\na: b: s3cret\n   ^\n"), "Nested mappings are not allowed");
    assert.equal(yamlProblemText("Unresolved alias (the anchor must be set before the alias): s3cret"), "Unresolved alias (the anchor must be set before the alias)");
    assert.equal(yamlProblemText('Missing closing "quote'), 'Missing closing "quote');
    assert.equal(yamlProblemText("Bad thing at line 12, column 34"), "Bad thing");
    assert.equal(yamlProblemText("Bad thing at line 12, column 34 and more"), "Bad thing");
    assert.equal(yamlProblemText('Unexpected token: "s3cret" '), "Unexpected token");
    assert.equal(yamlProblemText('Unexpected token:"s3cret"'), "Unexpected token");
    assert.equal(yamlProblemText("Unknown alias: s3cret word"), "Unknown alias");
    assert.equal(yamlProblemText("Unknown aliases:s3cret"), "Unknown aliases");
    assert.equal(yamlProblemText("Bad alias usage:  "), "Bad alias usage:  ");
    assert.equal(yamlProblemText('Odd: "a" b'), 'Odd: "a" b');
  });
});

describe("masking (class 2)", () => {
  it("masks any URL's user info wherever it stands, password with @ included", () => {
    assert.equal(maskUrlUserInfo("GET https://u:p@ss@h.example/x and postgres://a:b@db/c"), "GET https://[credentials]@h.example/x and postgres://[credentials]@db/c");
    assert.equal(maskUrlUserInfo("https://h.example/a@b"), "https://h.example/a@b");
    assert.equal(maskUrlUserInfo("https://u:p@h"), "https://[credentials]@h");
  });
  it("takes a URL's whole user info and password (decoded too) as credentials, never its user name alone", () => {
    assert.deepEqual(urlCredentials("https://user:p%40ss@h"), ["user:p%40ss", "p%40ss", "p@ss"]);
    assert.deepEqual(urlCredentials("https://tokenonly@h"), ["tokenonly"]);
    assert.deepEqual(urlCredentials("https://h/x"), []);
    assert.deepEqual(urlCredentials(undefined), []);
    assert.deepEqual(urlCredentials(" https://u:pw12@h "), ["u:pw12", "pw12", "pw12"]);
    assert.deepEqual(urlCredentials("see https://u:pw12@h"), []);
    assert.deepEqual(urlCredentials("https://:tok3n@h"), [":tok3n", "tok3n", "tok3n"]);
  });
  it("masks each credential in every form an answer may echo, and Authorization values", () => {
    const masker = new Masker(["s3cret-token", undefined, "abc"]).addUrls("https://u:pw%2Fword@h");
    const b64 = Buffer.from("s3cret-token").toString("base64");
    const text = masker.mask(`a s3cret-token b ${b64} c ${encodeURIComponent("pw/word")} d pw/word e Bearer abcdefgh12345 abc`);
    assert.equal(text, "a [redacted] b [redacted] c [redacted] d [redacted] e Bearer [redacted] abc");
    assert.equal(new Masker(["abcd"]).mask("x abcd y"), "x [redacted] y");
    assert.equal(new Masker().mask("https://u:pw12@h pw12"), "https://[credentials]@h pw12");
    assert.deepEqual(masker.maskDeep({ a: ["x s3cret-token"], b: 1, c: null }), { a: ["x [redacted]"], b: 1, c: null });
  });
});

describe("listedLines", () => {
  it("lists every line up to the bound, then the first ones and how many more", () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `  - ${i}`);
    assert.equal(listedLines(lines(2)), "  - 0\n  - 1");
    assert.equal(listedLines(lines(MAX_LISTED_PROBLEMS)).split("\n").length, MAX_LISTED_PROBLEMS);
    assert.deepEqual(listedLines(lines(MAX_LISTED_PROBLEMS + 1)).split("\n").slice(-2), [`  - ${MAX_LISTED_PROBLEMS - 1}`, "  - … and 1 more"]);
    assert.equal(listedLines(lines(5), 3), "  - 0\n  - 1\n  - 2\n  - … and 2 more");
    assert.equal(listedLines([]), "");
  });
});
