import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPathSafeId, PATH_SAFE_ID_RULE } from "../../src/identifiers";
import { GCP_PROJECT_ID, GCP_PROJECT_ID_RULE } from "../../idps/google/config";

describe("isPathSafeId: an identifier that can stand in a URL path as it is", () => {
  it("takes 1 to 255 printable ASCII characters, or up to the limit given", () => {
    for (const id of ["a", "!", "~", "coder", "a.b", "...", "x".repeat(255), "Coder_Dev-1:@+"]) assert.equal(isPathSafeId(id), true, id);
    assert.equal(isPathSafeId(""), false);
    assert.equal(isPathSafeId("x".repeat(256)), false);
    assert.equal(isPathSafeId("x".repeat(36), 36), true);
    assert.equal(isPathSafeId("x".repeat(37), 36), false);
  });

  it("refuses what a path treats specially, spaces, control and non-ASCII characters, and . and ..", () => {
    for (const id of [".", "..", "a/b", "a\\b", "a?b", "a#b", "a%2F", "a b", " ", "a\tb", "\x7f", "é", "a\u00a0b", "\u{1F600}"]) {
      assert.equal(isPathSafeId(id), false, JSON.stringify(id));
    }
  });

  it("states its rule", () => {
    assert.equal(PATH_SAFE_ID_RULE, "1 to 255 printable ASCII characters without spaces or any of / \\ ? # %");
  });
});

describe("GCP_PROJECT_ID: a Google Cloud project id", () => {
  it("takes 6 to 30 lowercase letters, digits or -, starting with a letter and not ending with -", () => {
    for (const id of ["abcdef", "my-project-1", `a${"b".repeat(29)}`, "example.com:my-project", "a-b.example:my-project"]) {
      assert.equal(GCP_PROJECT_ID.test(id), true, id);
    }
    for (const id of ["abcde", `a${"b".repeat(30)}`, "1project", "My-project", "my-project-", "my_project", "my-project-1\n",
      "1example.com:my-project", "example.com-:my-project", ":my-project", "example.com:1project"]) {
      assert.equal(GCP_PROJECT_ID.test(id), false, JSON.stringify(id));
    }
  });

  it("states its rule", () => {
    assert.equal(GCP_PROJECT_ID_RULE, "a Google Cloud project id: 6 to 30 lowercase letters, digits or -, starting with a letter");
  });
});
