/**
 * Coded errors as a host prints them: Pulumi's dynamic-provider host writes `${err}: ${err.stack}` for every error a
 * provider method throws (the real engine showed it), so a coded error's stack carries no frames: only its head line,
 * name, code and message, which is what Node and loggers print of it. test/coded-errors.test.ts checks every class.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { codedStack, CoderOidcError, ConfigError, configErrorMessage, StackFileError } from "../../src/errors";
import { PfApiError, pfApiErrorMessage } from "../../idps/pingfederate/coded-errors";

describe("coded errors", () => {
  it("print as their message and code, with no stack frames, the way the dynamic-provider host prints them", () => {
    const errors = [
      new PfApiError({ method: "GET", path: "/oauth/clients/coder", status: 401, apiMessage: "Unauthorized", validationErrors: [] }),
      new ConfigError([{ key: "coder-oidc:idp", message: "is required" }]),
      new CoderOidcError("plain"),
    ];
    for (const err of errors) {
      const printed = `${String(err)}: ${err.stack}`;
      assert.doesNotMatch(printed, /\n\s+at /, printed);
      assert.ok(printed.endsWith(`${err.name} [${(err.constructor as unknown as { code: string }).code}]: ${err.message}`), printed);
    }
  });
});

describe("error codes and names", () => {
  it("gives each class its own code, on the class and on every instance, and its own name", () => {
    const cases: [CoderOidcError, string, string][] = [
      [new CoderOidcError("m"), "ERR_CODER_OIDC", "CoderOidcError"],
      [new ConfigError([]), "ERR_CONFIG_INVALID", "ConfigError"],
      [new StackFileError("m"), "ERR_STACK_FILE", "StackFileError"],
      [new PfApiError({ method: "GET", path: "/x", validationErrors: [] }), "ERR_PF_API", "PfApiError"],
    ];
    for (const [err, code, name] of cases) {
      assert.equal(err.code, code);
      assert.equal((err.constructor as unknown as { code: string }).code, code);
      assert.equal(err.name, name);
      assert.equal(err.stack, `${name} [${code}]: ${err.message}`);
      assert.ok(err instanceof Error && err instanceof CoderOidcError);
    }
  });

  it("codedStack is the head line Node gives a coded error: name, code in brackets, message", () => {
    assert.equal(codedStack("ConfigError", "ERR_CONFIG_INVALID", "Invalid:\n  - k: m"), "ConfigError [ERR_CONFIG_INVALID]: Invalid:\n  - k: m");
  });

  it("is a Pulumi RunError, so the engine prints the message alone", () => {
    assert.equal(new StackFileError("m").__pulumiRunError, true);
  });

  it("leaves stack writable and configurable, as on any Error (hosts and test runners set it)", () => {
    const err = new CoderOidcError("m");
    err.stack = "replaced";
    assert.equal(err.stack, "replaced");
    assert.equal(delete (err as { stack?: string }).stack, true);
  });
});

describe("configErrorMessage and ConfigError", () => {
  const problems = [{ key: "coder-oidc:idp", message: "is required" }, { key: "keycloak:url", message: "must use https" }];

  it("lists every problem under a heading, one key: message line each", () => {
    assert.equal(configErrorMessage(problems), "Invalid stack configuration:\n  - coder-oidc:idp: is required\n  - keycloak:url: must use https");
    assert.equal(configErrorMessage(problems.slice(0, 1), "Invalid stacks/Pulumi.dev.yaml"), "Invalid stacks/Pulumi.dev.yaml:\n  - coder-oidc:idp: is required");
  });

  it("keeps the problems for callers, and the message built from them", () => {
    const err = new ConfigError(problems, "Bad");
    assert.deepEqual(err.problems, problems);
    assert.equal(err.message, "Bad:\n  - coder-oidc:idp: is required\n  - keycloak:url: must use https");
    assert.equal(new ConfigError(problems).message, configErrorMessage(problems, "Invalid stack configuration"));
  });
});

describe("pfApiErrorMessage and PfApiError", () => {
  it("names the method, path and status, the API's message, every field path, and the hint", () => {
    assert.equal(pfApiErrorMessage({
      method: "PUT", path: "/oauth/clients/coder", status: 422, apiMessage: "Validation error(s) occurred.",
      validationErrors: [
        { errorId: "validation_error", fieldPath: "grantTypes[0]", message: "Invalid grant type." },
        { errorId: "required_field" },
        { fieldPath: "clientAuth.secret" },
      ],
    }, "Check the client."), [
      "PingFederate admin API PUT /oauth/clients/coder failed with HTTP 422: Validation error(s) occurred.",
      "  - grantTypes[0]: Invalid grant type.",
      "  - (no field): required_field",
      "  - clientAuth.secret: invalid",
      "Check the client.",
    ].join("\n"));
  });

  it("says nothing of a status or a message that did not come", () => {
    assert.equal(pfApiErrorMessage({ method: "GET", path: "/version", validationErrors: [] }), "PingFederate admin API GET /version failed");
    assert.equal(pfApiErrorMessage({ method: "GET", path: "/version", status: 0, validationErrors: [] }), "PingFederate admin API GET /version failed with HTTP 0");
    assert.equal(pfApiErrorMessage({ method: "GET", path: "/version", apiMessage: "", validationErrors: [] }, ""), "PingFederate admin API GET /version failed");
  });

  it("keeps every detail on the error", () => {
    const details = { method: "POST", path: "/oauth/clients", status: 409, resultId: "conflict", apiMessage: "exists",
      validationErrors: [{ fieldPath: "clientId", message: "taken" }] };
    const err = new PfApiError(details, "hint");
    assert.deepEqual({ method: err.method, path: err.path, status: err.status, resultId: err.resultId, apiMessage: err.apiMessage,
      validationErrors: err.validationErrors }, details);
    assert.equal(err.message, pfApiErrorMessage(details, "hint"));
  });
});
