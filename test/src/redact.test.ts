/** Redaction: Authorization credentials and every form of a secret, at their edges. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redact } from "../../src/redact";

describe("redact", () => {
  it("hides the credential of an Authorization header, however it is written", () => {
    assert.equal(redact("Authorization: Basic dXNlcjpwYXNz", []), "Authorization: Basic [redacted]");
    assert.equal(redact('{"authorization":"Bearer abc.def-ghi"}', []), '{"authorization":"Bearer [redacted]"}');
    assert.equal(redact("authorization = bearer xyz, next", []), "authorization = bearer [redacted], next");
    assert.equal(redact("AUTHORIZATION:basic   abc;x", []), "AUTHORIZATION:basic [redacted];x");
    assert.equal(redact("'Authorization' : 'Basic abc'", []), "'Authorization' : 'Basic [redacted]'");
  });

  it("hides a Basic or Bearer credential anywhere, and leaves the words alone", () => {
    assert.equal(redact("sent Basic dXNlcjpwYXNz0= and Bearer eyJhbGciOi.x", []), "sent Basic [redacted] and Bearer [redacted]");
    assert.equal(redact("Basic authentication, Bearer tokens", []), "Basic authentication, Bearer tokens");
    assert.equal(redact("Basic abc1", []), "Basic abc1");
  });

  it("hides every occurrence of a secret in every form a server may echo it", () => {
    const secret = 'p@ss wörd"\\1';
    const b64 = Buffer.from(secret).toString("base64");
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), b64, b64.replace(/=+$/, ""),
      Buffer.from(secret).toString("base64url")];
    const text = forms.map((f) => `<${f}>`).join(" ");
    assert.equal(redact(text, [secret]), forms.map(() => "<[redacted]>").join(" "));
    assert.equal(redact("abcd1234 then abcd1234", ["abcd1234"]), "[redacted] then [redacted]");
  });

  it("hides the longest secret first, and ignores an empty one", () => {
    assert.equal(redact("key abcdefgh", ["abcd", "abcdefgh"]), "key [redacted]");
    assert.equal(redact("nothing here", [""]), "nothing here");
  });

  it("hides a secret of 4 characters inside a word, and a shorter one only where it stands alone", () => {
    assert.equal(redact("xwxyzx", ["wxyz"]), "x[redacted]x");
    assert.equal(redact("pw: pw, pwned pw", ["pw"]), "[redacted]: [redacted], pwned [redacted]");
    assert.equal(redact("a.b a.b", ["a.b"]), "[redacted] [redacted]");
  });
});

describe("redaction at its edges", () => {
  // Its base64 has "+", "/" and "==" padding, so the padded, unpadded and base64url forms all differ.
  const secret = "pw??\u00fe?";
  const b64 = Buffer.from(secret).toString("base64");

  it("replaces each form of a secret whole, leaving nothing of it behind", () => {
    assert.equal(b64, "cHc/P8O+Pw==");
    const forms = [b64, b64.replace(/=+$/, ""), Buffer.from(secret).toString("base64url"), encodeURIComponent(secret), secret];
    assert.equal(new Set(forms).size, forms.length);
    for (const form of forms) assert.equal(redact(`<${form}>`, [secret]), "<[redacted]>", form);
  });

  it("catches a credential after several spaces", () => {
    assert.equal(redact("sent Bearer   abcdef.12345 then", []), "sent Bearer [redacted] then");
    assert.equal(redact("sent Basic\tYWRtaW46cHc= then", []), "sent Basic [redacted] then");
  });

  it("ignores an empty secret instead of marking every gap", () => {
    assert.equal(redact("nothing: secret, here", ["", "pw-0123456789"]), "nothing: secret, here");
  });
});
