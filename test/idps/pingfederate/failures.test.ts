/** What a request that got no HTTP response becomes: a message naming the failure and what to check. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { transportProblem } from "../../../idps/pingfederate/failures";

describe("transport failures, by their code", () => {
  it("says what each one means and what to check", () => {
    const cases: [string | undefined, string][] = [
      ["ECONNREFUSED", "connection refused (ECONNREFUSED): check adminUrl, and that the admin port (9999 by default) is reachable"],
      ["ENOTFOUND", "host not found (ENOTFOUND): check the host name in adminUrl"],
      ["ETIMEDOUT", "no answer within 1500 ms (timeout)"],
      ["ECONNABORTED", "no answer within 1500 ms (timeout)"],
      ["ECONNRESET", "the connection was reset (ECONNRESET)"],
      ["EPIPE", "the connection was closed while sending (EPIPE)"],
      ["EHOSTUNREACH", "the request failed (EHOSTUNREACH)"],
      [undefined, "the request failed (no response)"],
      ["", "the request failed ()"],
    ];
    for (const [code, expected] of cases) assert.equal(transportProblem(code, 1500), expected, String(code));
  });

  it("names every certificate problem as one of trust, with both ways out", () => {
    const codes = ["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID",
      "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_UNTRUSTED", "CERT_SIGNATURE_FAILURE"];
    for (const code of codes) {
      assert.equal(transportProblem(code, 1), `the admin API's TLS certificate is not trusted (${code}): set ` +
        "coder-oidc:pingfederate.caCertificate to the PEM (text or file path) of the CA that signed it; only for a lab, set " +
        "insecureSkipTlsVerify: true");
    }
    assert.equal(transportProblem("CERT_REVOKED", 1), "the request failed (CERT_REVOKED)");
  });
});
