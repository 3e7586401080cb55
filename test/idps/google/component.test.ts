import { coderRow } from "../../support/idps";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { isSecretValue, settle, resolveOutput, revealSecrets } from "../../../engine/offline-runtime";
import { planStack, planToJson, renderPlanText } from "../../../engine/plan";
import { readStackFile, SECRET_PLACEHOLDER } from "../../../engine/stack-file";
import { parseStackConfig, type StackConfig } from "../../../idps/registry";
import { ConfigError } from "../../../src/errors";
import { coderClientRequest } from "../../../src/coder-env";
import { GoogleCoderClient, googleManualSteps } from "../../../idps/google/component";
import { configProblems as contractProblems, only, plaintextStrings, runProgram, type ProgramRun, installStackMocks, stackConfig } from "../../support/program";

const PROVIDER = "pulumi:providers:gcp";
const SERVICE = "gcp:projects/service:Service";
const SECRET = "gcp:secretmanager/secret:Secret";
const SECRET_VERSION = "gcp:secretmanager/secretVersion:SecretVersion";

const CLIENT_ID = "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com";
const CLIENT_SECRET = "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ret";
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";

/** Stack config for a Google stack; objects become JSON text, as the engine hands them over. */
function googleStack(google: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, unknown> = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "google",
    "coder-oidc:google": { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...google },
    "gcp:project": "example-project",
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) if (value === undefined) delete values[key];
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** The client secret lives in `coder-oidc:google`, so that whole key is secret, as `pulumi config set --secret --path` makes it. */
const SECRET_KEYS = ["coder-oidc:google"];

function configProblems(values: Record<string, string>, secretKeys: string[] = SECRET_KEYS): Map<string, string> {
  return contractProblems(values, secretKeys);
}

/** Runs the program with this file's secret keys. */
async function run(values: Record<string, string>, options: { preview?: boolean } = {}): Promise<ProgramRun> {
  return runProgram(values, { ...options, secretKeys: SECRET_KEYS });
}

function parse(values: Record<string, string>, secretKeys: string[] = SECRET_KEYS): StackConfig {
  return parseStackConfig(stackConfig(values, secretKeys));
}

function plan(values: Record<string, string>) {
  return planStack("test", { values, secretKeys: new Set(SECRET_KEYS) });
}

describe("stack config: coder-oidc:google", () => {
  it("takes the hand-made client, with no Secret Manager or hosted domain by default", () => {
    assert.deepEqual(parse(googleStack()).google, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });

  it("requires a Google OAuth client id", () => {
    assert.equal(configProblems(googleStack({ clientId: "coder" })).get("coder-oidc:google.clientId"),
      "must be a Google OAuth client id ending in .apps.googleusercontent.com");
    assert.equal(configProblems(googleStack({ clientId: undefined })).get("coder-oidc:google.clientId"), "is required");
  });

  it("requires the client secret, stored as a secret, naming the command that does it", () => {
    assert.ok(configProblems(googleStack(), []).get("coder-oidc:google.clientSecret")?.includes("pulumi config set --secret --path 'google.clientSecret'"));
    assert.equal(configProblems(googleStack({ clientSecret: undefined })).get("coder-oidc:google.clientSecret"), "is required");
  });

  it("rejects offline_access in extraScopes: Google answers it with invalid_scope", () => {
    assert.equal(configProblems(googleStack({}, { "coder-oidc:extraScopes": ["offline_access"] })).get("coder-oidc:extraScopes"),
      "must not include offline_access: Google rejects it with invalid_scope; refresh tokens come from the " +
      "access_type=offline and prompt=consent auth URL params, which this stack already sets");
  });

  it("rejects every token lifetime: Google owns them", () => {
    const p = configProblems(googleStack({}, { "coder-oidc:tokens": { accessTokenLifetime: "1h", refreshIdleTimeout: "30d", refreshMaxLifetime: "90d" } }));
    for (const key of ["accessTokenLifetime", "refreshIdleTimeout", "refreshMaxLifetime"]) {
      assert.ok(p.has(`coder-oidc:tokens.${key}`), key);
    }
  });

  it("checks the Secret Manager secret id and the hosted domain", () => {
    const p = configProblems(googleStack({ secretManager: { secretId: "coder/secret" }, hostedDomain: "not a domain" }));
    assert.equal(p.get("coder-oidc:google.secretManager.secretId"), "must be 1-255 letters, digits, _ or -");
    assert.equal(p.get("coder-oidc:google.hostedDomain"), "must be a domain name such as example.com");
    assert.equal(configProblems(googleStack({ secretManager: {} })).get("coder-oidc:google.secretManager.secretId"), "is required");
  });

  it("requires coder-oidc:google when idp is google", () => {
    assert.ok(configProblems(googleStack({}, { "coder-oidc:google": undefined })).has("coder-oidc:google"));
  });
});

describe("GoogleCoderClient: without secretManager", () => {
  it("declares no Google Cloud resource and no gcp provider, so it needs no Google Cloud credentials", async () => {
    const { mocks } = await run(googleStack());
    assert.deepEqual(mocks.resources.map((r) => r.type), ["coder-oidc:providers:GoogleCoderClient"]);
  });

  it("needs no gcp:project either", async () => {
    const { outputs } = await run(googleStack({}, { "gcp:project": undefined }));
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, CLIENT_ID);
    assert.equal(outputs.secretManagerSecretName, undefined);
  });
});

describe("GoogleCoderClient: Secret Manager", () => {
  const WITH_SECRET_MANAGER = { secretManager: { secretId: "coder-oidc-client-secret" } };

  it("enables secretmanager.googleapis.com and never disables it on destroy", async () => {
    const { mocks } = await run(googleStack(WITH_SECRET_MANAGER));
    const api = only(mocks, SERVICE);
    assert.equal(api.name, "coder-secretmanager-api");
    assert.deepEqual(api.inputs, { project: "example-project", service: "secretmanager.googleapis.com", disableOnDestroy: false });
  });

  it("creates the secret only after the Secret Manager API is enabled, as a first `pulumi up` needs", async () => {
    const values = googleStack(WITH_SECRET_MANAGER);
    await installStackMocks({ values, secretKeys: SECRET_KEYS });
    const config = parse(values);
    const seen: pulumi.ResourceTransformationArgs[] = [];
    new GoogleCoderClient("coder", { request: coderClientRequest(config, coderRow(config.idp)), settings: config.google!, connection: config.providers.gcp }, {
      transformations: [(args) => { seen.push(args); return undefined; }],
    });
    await settle();
    const api = seen.find((a) => a.type === SERVICE)!;
    const secret = seen.find((a) => a.type === SECRET)!;
    assert.ok(api && secret, "both declared");
    assert.deepEqual(secret.opts.dependsOn, [api.resource]);
  });

  it("stores the secret with automatic replication under the configured id", async () => {
    const { mocks } = await run(googleStack(WITH_SECRET_MANAGER));
    const secret = only(mocks, SECRET);
    assert.equal(secret.name, "coder-client-secret");
    assert.deepEqual(secret.inputs, { project: "example-project", secretId: "coder-oidc-client-secret", replication: { auto: {} } });
  });

  it("puts the client secret in a SecretVersion of that secret, as a Pulumi secret", async () => {
    const { mocks } = await run(googleStack(WITH_SECRET_MANAGER));
    const version = only(mocks, SECRET_VERSION);
    assert.equal(version.name, "coder-client-secret-version");
    assert.equal(version.inputs.secret, "coder-client-secret-id");
    assert.ok(isSecretValue(version.inputs.secretData), "secretData is a secret input");
    assert.equal(revealSecrets(version.inputs.secretData), CLIENT_SECRET);
  });

  it("outputs the secret's resource name for Coder's deployment to mount", async () => {
    const { outputs } = await run(googleStack(WITH_SECRET_MANAGER));
    assert.deepEqual(outputs.secretManagerSecretName, {
      known: true, secret: false, value: "projects/example-project/secrets/coder-oidc-client-secret",
    });
  });

  it("uses secretManager.project over gcp:project", async () => {
    const { mocks } = await run(googleStack({ secretManager: { project: "secrets-project", secretId: "coder" } }));
    assert.equal(only(mocks, SERVICE).inputs.project, "secrets-project");
    assert.equal(only(mocks, SECRET).inputs.project, "secrets-project");
    assert.equal(only(mocks, PROVIDER).inputs.project, "example-project");
  });

  it("requires a project: secretManager.project or gcp:project", async () => {
    try {
      await run(googleStack(WITH_SECRET_MANAGER, { "gcp:project": undefined }));
      assert.fail("expected the stack to be rejected");
    } catch (err) {
      await settle();
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
      assert.equal(err.code, "ERR_CONFIG_INVALID");
      assert.deepEqual(err.problems, [{ key: "coder-oidc:google.secretManager.project", message: "is required unless gcp:project is set" }]);
    }
  });

  it("manages every Google Cloud resource through one explicit provider built from gcp:*", async () => {
    const { mocks } = await run(googleStack(WITH_SECRET_MANAGER, {
      "gcp:credentials": "{\"type\":\"service_account\",\"private_key\":\"not-a-real-key\"}",
      "gcp:impersonateServiceAccountDelegates": ["sa@example-project.iam.gserviceaccount.com"],
      "gcp:region": "europe-west1",
    }));
    const provider = only(mocks, PROVIDER);
    assert.equal(provider.name, "coder-gcp");
    assert.equal(provider.inputs.project, "example-project");
    assert.equal(provider.inputs.region, "europe-west1");
    assert.ok(isSecretValue(provider.inputs.credentials), "gcp:credentials is a secret input even without --secret");
    const managed = mocks.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    assert.deepEqual(managed.map((r) => r.type).sort(), [SERVICE, SECRET, SECRET_VERSION].sort());
    for (const r of managed) {
      assert.match(r.provider ?? "", /::coder-oidc:providers:GoogleCoderClient\$pulumi:providers:gcp::coder-gcp::coder-gcp-id$/, `${r.type} uses the explicit provider`);
    }
  });
});

describe("GoogleCoderClient: Coder settings", () => {
  it("outputs the exact Coder variables: Google's issuer, no offline_access, prompt=consent", async () => {
    const { outputs } = await run(googleStack());
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://accounts.google.com");
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, CLIENT_ID);
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email");
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline","prompt":"consent"}');
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: true, secret: true, value: CLIENT_SECRET });
    assert.equal(outputs.CODER_OIDC_EMAIL_DOMAIN, undefined);
    assert.equal(outputs.CODER_OIDC_GROUP_FIELD, undefined);
    assert.equal(outputs.CODER_OIDC_EMAIL_FIELD, undefined);
  });

  it("adds hd to the auth URL params and sets CODER_OIDC_EMAIL_DOMAIN with a hosted domain", async () => {
    const { outputs } = await run(googleStack({ hostedDomain: "example.com" }));
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline","prompt":"consent","hd":"example.com"}');
    assert.equal(outputs.CODER_OIDC_EMAIL_DOMAIN.value, "example.com");
  });

  it("appends extraScopes and warns that they bring back the 7-day limit of Testing apps", async () => {
    const values = googleStack({}, { "coder-oidc:extraScopes": ["https://www.googleapis.com/auth/calendar.readonly"] });
    const { outputs } = await run(values);
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,https://www.googleapis.com/auth/calendar.readonly");
    const { warnings } = await plan(values);
    assert.deepEqual(warnings, [
      "coder-oidc:extraScopes asks Google for https://www.googleapis.com/auth/calendar.readonly beyond openid, email " +
      'and profile: while the consent screen is "External" and "Testing", Google expires refresh tokens after 7 days. ' +
      'Publish the app ("In production") or use an "Internal" consent screen.',
    ]);
    assert.deepEqual((await plan(googleStack())).warnings, []);
    const two = await plan(googleStack({}, { "coder-oidc:extraScopes": ["https://www.googleapis.com/auth/drive.file", "groups"] }));
    assert.match(two.warnings[0], /^coder-oidc:extraScopes asks Google for https:\/\/www\.googleapis\.com\/auth\/drive\.file, groups beyond /);
  });
});

describe("GoogleCoderClient: manual steps", () => {
  it("name this stack's exact redirect URI and the limits users trip on, word for word", () => {
    assert.deepEqual(googleManualSteps(CALLBACK), [
      "Google: no API creates the OAuth client or its consent screen, so do this by hand in the Google Cloud console " +
        "(Google Auth Platform, formerly APIs & Services > OAuth consent screen / Credentials):",
      '1. Consent screen: user type "Internal" (your Google Workspace users only) or "External"; add no scopes ' +
        "beyond openid, email and profile.",
      `2. Create an OAuth client of type "Web application" with exactly one authorized redirect URI: ${CALLBACK}`,
      "3. Put the client in this stack: pulumi config set --path 'google.clientId' <client id>, then " +
        "pulumi config set --secret --path 'google.clientSecret' <client secret>.",
      "Limit: Google keeps at most 100 refresh tokens per Google account per OAuth client and silently revokes the " +
        "oldest beyond that, so give each Coder deployment its own client.",
      'Limit: an "External" app in the "Testing" publishing status gets refresh tokens that expire after 7 days, ' +
        "unless it asks only for openid, email and profile (Coder's scopes): Google exempts these basic sign-in " +
        'scopes. Any other scope brings the 7-day expiry back until the app is "In production".',
      "Limit: a refresh token unused for 6 months expires; prompt=consent (sent by Coder with these settings) makes " +
        "Google issue a new one at every sign-in.",
      "After Coder has these settings, every user must log out and in once to get a refresh token.",
    ]);
  });

  it("are logged as one info message on every run, with or without Secret Manager", async () => {
    for (const google of [{}, { secretManager: { secretId: "coder" } }]) {
      const { notes } = await plan(googleStack(google, { "coder-oidc:coderUrl": "https://coder.example.com/" }));
      assert.deepEqual(notes, [googleManualSteps(CALLBACK).join("\n")]);
    }
  });
});

describe("GoogleCoderClient: secrets", () => {
  it("never puts the client secret in plaintext in an output or a non-secret input", async () => {
    const { mocks, outputs } = await run(googleStack({ secretManager: { secretId: "coder" }, hostedDomain: "example.com" }));
    const visible = [
      ...mocks.resources.flatMap((r) => plaintextStrings(r.inputs)),
      ...Object.values(outputs).filter((o) => !o.secret).map((o) => String(o.value)),
    ];
    assert.ok(visible.length > 10);
    assert.ok(!visible.some((v) => v.includes(CLIENT_SECRET)), "the client secret leaked");
    assert.deepEqual(Object.entries(outputs).filter(([, o]) => o.secret).map(([name]) => name), ["CODER_OIDC_CLIENT_SECRET"]);
  });

  it("wraps the client secret as a secret itself, whatever the settings it is given", async () => {
    // The config contract already insists on --secret; the component must not rely on it.
    await installStackMocks({ values: {} });
    const config = parse(googleStack({ secretManager: { secretId: "coder" } }));
    const client = new GoogleCoderClient("direct", { request: coderClientRequest(config, coderRow(config.idp)), settings: config.google!, connection: { values: { project: "p" }, secretKeys: new Set() } });
    assert.deepEqual(await resolveOutput(client.clientSecret), { known: true, secret: true, value: CLIENT_SECRET });
    await settle();
  });
});

describe("stacks/Pulumi.staging-google.yaml", () => {
  it("plans offline: Secret Manager resources, the right Coder settings and the manual steps", async () => {
    const file = readStackFile("staging-google");
    assert.deepEqual([...file.secretKeys], ["coder-oidc:google"]);
    const result = await planStack("staging-google", file);
    assert.deepEqual(result.resources.map((r) => `${r.type} ${r.name}`), [
      "coder-oidc:providers:GoogleCoderClient coder",
      `${PROVIDER} coder-gcp`,
      `${SERVICE} coder-secretmanager-api`,
      `${SECRET} coder-client-secret`,
      `${SECRET_VERSION} coder-client-secret-version`,
    ]);
    const env = Object.fromEntries(result.coderEnv.map((e) => [e.name, e]));
    assert.equal(env.CODER_OIDC_ISSUER_URL.value, "https://accounts.google.com");
    assert.equal(env.CODER_OIDC_SCOPES.value, "openid,profile,email");
    assert.equal(env.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline","prompt":"consent","hd":"example.com"}');
    assert.equal(env.CODER_OIDC_EMAIL_DOMAIN.value, "example.com");
    assert.equal(env.CODER_OIDC_CLIENT_SECRET.secret, true);
    assert.deepEqual(result.otherOutputs.map((e) => e.name), ["secretManagerSecretName"]);
    assert.equal(result.resources.find((r) => r.type === SECRET_VERSION)!.inputs.secretData, "[secret]");
    for (const shown of [renderPlanText(result), JSON.stringify(planToJson(result))]) {
      assert.ok(!shown.includes(SECRET_PLACEHOLDER), "the client secret (the secure: placeholder) is never shown");
    }
    assert.deepEqual(result.notes, [googleManualSteps("https://coder.staging.example.com/api/v2/users/oidc/callback").join("\n")]);
    assert.deepEqual(result.warnings, []);
  });
});
