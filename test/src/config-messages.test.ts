/**
 * Every rule of the config contract, by the exact problem it reports: for each IdP, each key of its section and the
 * common keys, given values of the wrong type, empty, malformed, out of range or contradicting another key. The
 * messages are what a user reads to fix the stack file, so they are pinned word for word, and so is the whole list
 * (a second problem that should not be there fails too).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../idps/registry";
import { ConfigError } from "../../src/errors";

const C = "coder-oidc:";
const CODER = { [`${C}coderUrl`]: "https://coder.example.com" };

/** A valid stack of each IdP: its provider keys, its section's key and that section's minimal value. */
const BASES: Record<string, { values: Record<string, string>; sectionKey: string; section: Record<string, unknown>; secretKeys: string[] }> = {
  keycloak: { values: { ...CODER, [`${C}idp`]: "keycloak", "keycloak:url": "https://sso.example.com" }, sectionKey: "keycloak", section: { realm: "main" }, secretKeys: [] },
  "entra-id": {
    values: { ...CODER, [`${C}idp`]: "entra-id" }, sectionKey: "entraId",
    section: { tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", secretRotation: "2026-11" }, secretKeys: [],
  },
  google: {
    values: { ...CODER, [`${C}idp`]: "google", "gcp:project": "my-project-1" }, sectionKey: "google",
    section: { clientId: "1-x.apps.googleusercontent.com", clientSecret: "s" }, secretKeys: [`${C}google`],
  },
  pingfederate: {
    values: { ...CODER, [`${C}idp`]: "pingfederate" }, sectionKey: "pingfederate",
    section: { adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" }, secretKeys: [],
  },
  okta: { values: { ...CODER, [`${C}idp`]: "okta", "okta:orgName": "dev-123456" }, sectionKey: "okta", section: { assignedGroups: "everyone" }, secretKeys: [] },
  auth0: { values: { ...CODER, [`${C}idp`]: "auth0", "auth0:domain": "example.us.auth0.com" }, sectionKey: "auth0", section: {}, secretKeys: [] },
};

interface Case {
  /** Which base stack. */
  readonly idp: keyof typeof BASES;
  /** Fields set in the IdP's section, over the base's. */
  readonly section?: Record<string, unknown>;
  /** Common keys set, by name without the namespace. */
  readonly top?: Record<string, string>;
  /** Leave the IdP's section out. */
  readonly withoutSection?: boolean;
  /** Provider or other keys set (null: removed from the base). */
  readonly keys?: Record<string, string | null>;
  /** The secret keys, instead of the base's. */
  readonly secretKeys?: readonly string[];
  /** Every problem reported, as `key: message`, in order. */
  readonly problems: readonly string[];
}

const CASES: readonly Case[] = [
  { idp: "keycloak", section: {"realm": 42},
    problems: [
      "coder-oidc:keycloak.realm: must be a string (the Keycloak realm Coder's users log in to)",
    ] },
  { idp: "keycloak", section: {"realm": ""},
    problems: [
      "coder-oidc:keycloak.realm: must be 1 to 255 printable ASCII characters without spaces or any of / \\ ? # % (the Keycloak realm Coder's users log in to): it is part of the IdP's URLs, got \"\"",
    ] },
  { idp: "keycloak", section: {"issuerUrl": 42},
    problems: [
      "coder-oidc:keycloak.issuerUrl: must be a string (Keycloak issuer as Coder reaches it)",
    ] },
  { idp: "keycloak", section: {"issuerUrl": ""},
    problems: [
      "coder-oidc:keycloak.issuerUrl: must be an absolute URL (Keycloak issuer as Coder reaches it), got \"\"",
    ] },
  { idp: "keycloak", section: {"issuerUrl": "x y"},
    problems: [
      "coder-oidc:keycloak.issuerUrl: must not contain spaces or control characters (Keycloak issuer as Coder reaches it), got \"x y\"",
    ] },
  { idp: "keycloak", section: {"issuerUrl": "http://h.example.com"},
    problems: [
      "coder-oidc:keycloak.issuerUrl: must use https (http is allowed only for localhost or 127.0.0.1), got \"http://h.example.com\"",
    ] },
  { idp: "keycloak", section: {"issuerUrl": "https://u:p@h.example.com"},
    problems: [
      "coder-oidc:keycloak.issuerUrl: must not carry credentials in the URL, got \"https://[credentials]@h.example.com\"",
    ] },
  { idp: "keycloak", section: {"issuerUrl": "https://h.example.com/p?q=1#f"},
    problems: [
      "coder-oidc:keycloak.issuerUrl: must not have a query or fragment, got \"https://h.example.com/p?q=1#f\"",
    ] },
  { idp: "keycloak", top: {"coderUrl": ""},
    problems: [
      "coder-oidc:coderUrl: must be an absolute URL (Coder's access URL), got \"\"",
    ] },
  { idp: "keycloak", top: {"coderUrl": "http://coder.example.com"},
    problems: [
      "coder-oidc:coderUrl: must use https (http is allowed only for localhost or 127.0.0.1), got \"http://coder.example.com\"",
    ] },
  { idp: "keycloak", top: {"coderUrl": "https://u:p@coder.example.com"},
    problems: [
      "coder-oidc:coderUrl: must not carry credentials in the URL, got \"https://[credentials]@coder.example.com\"",
    ] },
  { idp: "keycloak", top: {"coderUrl": "https://coder.example.com/x"},
    problems: [
      "coder-oidc:coderUrl: must not have a path, got \"https://coder.example.com/x\": Coder resolves /api/v2/users/oidc/callback against its access URL as an absolute path (the path is dropped) and serves its API at the root of its host, so Coder cannot run under a path; give Coder a host of its own, e.g. https://coder.example.com",
    ] },
  { idp: "keycloak", top: {"coderUrl": "https://coder.example.com/?a"},
    problems: [
      "coder-oidc:coderUrl: must not have a query or fragment, got \"https://coder.example.com/?a\"",
    ] },
  { idp: "keycloak", top: {"coderUrl": " https://coder.example.com"},
    problems: [
      "coder-oidc:coderUrl: must not contain spaces or control characters (Coder's access URL), got \" https://coder.example.com\"",
    ] },
  { idp: "keycloak", top: {"coderUrl": "https://Coder.example.com"},
    problems: [
      "coder-oidc:coderUrl: must be written as browsers and Coder serialize it, \"https://coder.example.com\" (lowercase scheme and host, punycode for an internationalized host, no default port), got \"https://Coder.example.com\": the IdP compares the redirect URI byte for byte; set CODER_ACCESS_URL to the same",
    ] },
  { idp: "keycloak", top: {"clientId": ""},
    problems: [
      "coder-oidc:clientId: must not be empty (OAuth client id)",
    ] },
  { idp: "keycloak", top: {"clientId": "a b"},
    problems: [
      "coder-oidc:clientId: must be 1 to 255 printable ASCII characters without spaces (an OAuth client id)",
    ] },
  { idp: "keycloak", top: {"displayName": ""},
    problems: [
      "coder-oidc:displayName: must not be empty (display name)",
    ] },
  { idp: "keycloak", top: {"extraScopes": "[42]"},
    problems: [
      "coder-oidc:extraScopes[0]: must be a string",
    ] },
  { idp: "keycloak", top: {"extraScopes": "[\"a b\"]"},
    problems: [
      "coder-oidc:extraScopes[0]: must be an OAuth scope: printable ASCII without spaces, quotes or backslashes",
    ] },
  { idp: "keycloak", top: {"extraScopes": "x"},
    problems: [
      "coder-oidc:extraScopes: must be a list of scopes, e.g. [groups]",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"accessTokenLifetime\":\"0s\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: must be positive, got \"0s\"",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"accessTokenLifetime\":\"x\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: \"x\" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"refreshIdleTimeout\":\"1s\",\"accessTokenLifetime\":\"2s\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: must be at least tokens.accessTokenLifetime, or refreshes fail before the access token even expires",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"refreshIdleTimeout\":\"2m\",\"refreshMaxLifetime\":\"1m\"}"},
    problems: [
      "coder-oidc:tokens.refreshMaxLifetime: must be at least tokens.refreshIdleTimeout",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"refreshMaxLifetime\":\"100000000d\"}"},
    problems: [
      "coder-oidc:tokens.refreshMaxLifetime: must be at most 2147483647 seconds (24855 days), got \"100000000d\": Keycloak and PingFederate store lifetimes as 32-bit integers",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"nope\":\"1m\"}"},
    problems: [
      "coder-oidc:tokens.nope: is not a known setting (check the spelling)",
    ] },
  { idp: "keycloak", top: {"tokens": "[]"},
    problems: [
      "coder-oidc:tokens: Invalid input: expected object, received array",
    ] },
  { idp: "keycloak", top: {"tokens": "{\"accessTokenLifetime\":42}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: must be a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "keycloak", top: {"refreshTokenRotation": "maybe"},
    problems: [
      "coder-oidc:refreshTokenRotation: must be off or on",
    ] },
  { idp: "keycloak", top: {"refreshTokenRotation": "on"},
    problems: [
      "coder-oidc:refreshTokenRotation: cannot be on with Keycloak: Keycloak has no client setting for rotation: it is the realm's \"Revoke Refresh Token\", whose only allowance is a reuse count (Refresh Token Max Reuse), not a time window, so Coder's concurrent refreshes can still be refused with invalid_grant; keep refreshTokenRotation off and the realm's Revoke Refresh Token off",
    ] },
  { idp: "keycloak", top: {"refreshTokenReuseWindow": "30s"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: applies only with coder-oidc:refreshTokenRotation: on",
    ] },
  { idp: "keycloak", top: {"refreshTokenReuseWindow": "x"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: \"x\" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "keycloak", top: {"idp": "onelogin"},
    problems: [
      "coder-oidc:idp: must be one of keycloak, entra-id, google, pingfederate, okta, auth0",
    ] },
  { idp: "keycloak", withoutSection: true,
    problems: [
      "coder-oidc:keycloak: is required when idp is keycloak",
    ] },
  { idp: "entra-id", section: {"tenantId": 42},
    problems: [
      "coder-oidc:entraId.tenantId: must be a string (the Entra ID directory (tenant) id)",
      "coder-oidc:entraId.tenantId: is required unless azuread:tenantId is set",
    ] },
  { idp: "entra-id", section: {"tenantId": ""},
    problems: [
      "coder-oidc:entraId.tenantId: must not be empty (the Entra ID directory (tenant) id)",
      "coder-oidc:entraId.tenantId: is required unless azuread:tenantId is set",
    ] },
  { idp: "entra-id", section: {"tenantId": "x y"},
    problems: [
      "coder-oidc:entraId.tenantId: must be the directory (tenant) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, got \"x y\": Entra's discovery document names its issuer by that GUID, and Coder refuses an issuer URL that differs",
    ] },
  { idp: "entra-id", section: {"signInAudience": 42},
    problems: [
      "coder-oidc:entraId.signInAudience: must be one of AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount",
    ] },
  { idp: "entra-id", section: {"groupsClaim": 42},
    problems: [
      "coder-oidc:entraId.groupsClaim: must be true or false",
    ] },
  { idp: "entra-id", section: {"upnAsEmail": 42},
    problems: [
      "coder-oidc:entraId.upnAsEmail: must be true or false",
    ] },
  { idp: "entra-id", section: {"appRoleAssignmentRequired": 42},
    problems: [
      "coder-oidc:entraId.appRoleAssignmentRequired: must be true or false",
    ] },
  { idp: "entra-id", section: {"secretLifetime": 42},
    problems: [
      "coder-oidc:entraId.secretLifetime: must be a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "entra-id", section: {"secretLifetime": ""},
    problems: [
      "coder-oidc:entraId.secretLifetime: \"\" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "entra-id", section: {"secretLifetime": "0s"},
    problems: [
      "coder-oidc:entraId.secretLifetime: must be positive, got \"0s\"",
    ] },
  { idp: "entra-id", section: {"secretRotation": 42},
    problems: [
      "coder-oidc:entraId.secretRotation: must be a UTC month or day in quotes, e.g. \"2026-11\"",
      "coder-oidc:entraId.secretRotation: is required with Entra ID: the UTC month or day the client secret is issued, e.g. \"2026-11\" or \"2026-11-28\"; the secret's endDate is that date plus secretLifetime, the same on every run, and changing it issues a new secret",
    ] },
  { idp: "entra-id", section: {"secretRotation": ""},
    problems: [
      "coder-oidc:entraId.secretRotation: must be a UTC month or day, e.g. \"2026-11\" or \"2026-11-28\", got \"\": it anchors the client secret's endDate (that date plus secretLifetime)",
    ] },
  { idp: "entra-id", section: {"previousSecretRotation": 42},
    problems: [
      "coder-oidc:entraId.previousSecretRotation: must be a UTC month or day in quotes, e.g. \"2026-11\"",
    ] },
  { idp: "entra-id", section: {"previousSecretRotation": ""},
    problems: [
      "coder-oidc:entraId.previousSecretRotation: must be a UTC month or day, e.g. \"2026-11\" or \"2026-11-28\", got \"\": the secretRotation value before the last rotation, whose secret is kept until Coder has the new one",
    ] },
  { idp: "entra-id", section: {"grantAdminConsent": 42},
    problems: [
      "coder-oidc:entraId.grantAdminConsent: must be true or false",
    ] },
  { idp: "entra-id", section: {"signInFrequency": 42},
    problems: [
      "coder-oidc:entraId.signInFrequency: must be a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "entra-id", section: {"signInFrequency": ""},
    problems: [
      "coder-oidc:entraId.signInFrequency: \"\" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "entra-id", section: {"signInFrequency": "0s"},
    problems: [
      "coder-oidc:entraId.signInFrequency: must be positive, got \"0s\"",
    ] },
  { idp: "entra-id", top: {"clientId": ""},
    problems: [
      "coder-oidc:clientId: must not be empty (OAuth client id)",
      "coder-oidc:clientId: is not used with Entra ID: Entra assigns the application (client) id; remove coder-oidc:clientId",
    ] },
  { idp: "entra-id", top: {"tokens": "{\"refreshIdleTimeout\":\"1s\",\"accessTokenLifetime\":\"2s\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Entra ID: its refresh tokens live 90 days, fixed by Microsoft; to shorten sessions set coder-oidc:entraId.signInFrequency (Conditional Access, needs Entra ID P1)",
      "coder-oidc:tokens.accessTokenLifetime: cannot be set with Entra ID by this toolkit: Entra decides access-token lifetimes (60-90 minutes)",
    ] },
  { idp: "entra-id", top: {"tokens": "{\"refreshIdleTimeout\":\"2m\",\"refreshMaxLifetime\":\"1m\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Entra ID: its refresh tokens live 90 days, fixed by Microsoft; to shorten sessions set coder-oidc:entraId.signInFrequency (Conditional Access, needs Entra ID P1)",
      "coder-oidc:tokens.refreshMaxLifetime: cannot be set with Entra ID: its refresh tokens live 90 days, fixed by Microsoft; to shorten sessions set coder-oidc:entraId.signInFrequency (Conditional Access, needs Entra ID P1)",
    ] },
  { idp: "entra-id", top: {"refreshTokenRotation": "on"},
    problems: [
      "coder-oidc:refreshTokenRotation: cannot be on with Microsoft Entra ID: Entra ID cannot be told to rotate: it hands out a new refresh token on each refresh and does not revoke the one used, so there is nothing to switch on",
    ] },
  { idp: "entra-id", withoutSection: true,
    problems: [
      "coder-oidc:entraId: is required when idp is entra-id",
    ] },
  { idp: "google", section: {"clientId": 42},
    problems: [
      "coder-oidc:google.clientId: must be a string (the Google OAuth client id)",
    ] },
  { idp: "google", section: {"clientId": ""},
    problems: [
      "coder-oidc:google.clientId: must not be empty (the Google OAuth client id)",
      "coder-oidc:google.clientId: must be a Google OAuth client id ending in .apps.googleusercontent.com",
    ] },
  { idp: "google", section: {"clientSecret": 42},
    problems: [
      "coder-oidc:google.clientSecret: must be a string (the Google OAuth client secret)",
    ] },
  { idp: "google", section: {"clientSecret": ""},
    problems: [
      "coder-oidc:google.clientSecret: must not be empty (the Google OAuth client secret)",
    ] },
  { idp: "google", section: {"secretManager": 42},
    problems: [
      "coder-oidc:google.secretManager: Invalid input: expected object, received number",
    ] },
  { idp: "google", section: {"secretManager": ""},
    problems: [
      "coder-oidc:google.secretManager: Invalid input: expected object, received string",
    ] },
  { idp: "google", section: {"secretManager": true},
    problems: [
      "coder-oidc:google.secretManager: Invalid input: expected object, received boolean",
    ] },
  { idp: "google", section: {"secretManager": []},
    problems: [
      "coder-oidc:google.secretManager: Invalid input: expected object, received array",
    ] },
  { idp: "google", section: {"secretManager": {}},
    problems: [
      "coder-oidc:google.secretManager.secretId: is required",
    ] },
  { idp: "google", section: {"hostedDomain": 42},
    problems: [
      "coder-oidc:google.hostedDomain: must be a string",
    ] },
  { idp: "google", section: {"hostedDomain": ""},
    problems: [
      "coder-oidc:google.hostedDomain: must be a domain name such as example.com",
    ] },
  { idp: "google", top: {"clientId": ""},
    problems: [
      "coder-oidc:clientId: must not be empty (OAuth client id)",
      "coder-oidc:clientId: is not used with Google: set coder-oidc:google.clientId to the OAuth client you created",
    ] },
  { idp: "google", top: {"extraScopes": "[\"offline_access\"]"},
    problems: [
      "coder-oidc:extraScopes: must not include offline_access: Google rejects it with invalid_scope; refresh tokens come from the access_type=offline and prompt=consent auth URL params, which this stack already sets",
    ] },
  { idp: "google", top: {"tokens": "{\"accessTokenLifetime\":\"0s\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: must be positive, got \"0s\"",
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens",
      "coder-oidc:tokens.refreshMaxLifetime: cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens",
    ] },
  { idp: "google", top: {"tokens": "{\"refreshIdleTimeout\":\"1s\",\"accessTokenLifetime\":\"2s\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens",
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens",
    ] },
  { idp: "google", top: {"refreshTokenRotation": "on"},
    problems: [
      "coder-oidc:refreshTokenRotation: cannot be on with Google: Google does not rotate refresh tokens: the one issued at consent is used until it is revoked or expires",
    ] },
  { idp: "google", withoutSection: true,
    problems: [
      "coder-oidc:google: is required when idp is google",
    ] },
  { idp: "pingfederate", section: {"adminUrl": 42},
    problems: [
      "coder-oidc:pingfederate.adminUrl: must be a string (PingFederate admin API base)",
    ] },
  { idp: "pingfederate", section: {"adminUrl": ""},
    problems: [
      "coder-oidc:pingfederate.adminUrl: must be an absolute URL (PingFederate admin API base), got \"\"",
    ] },
  { idp: "pingfederate", section: {"adminUrl": "x y"},
    problems: [
      "coder-oidc:pingfederate.adminUrl: must not contain spaces or control characters (PingFederate admin API base), got \"x y\"",
    ] },
  { idp: "pingfederate", section: {"adminUrl": "http://h.example.com"},
    problems: [
      "coder-oidc:pingfederate.adminUrl: must use https (the admin credentials travel over it), got \"http://h.example.com\"",
    ] },
  { idp: "pingfederate", section: {"adminUrl": "https://u:p@h.example.com"},
    problems: [
      "coder-oidc:pingfederate.adminUrl: must not carry credentials in the URL, got \"https://[credentials]@h.example.com\"",
    ] },
  { idp: "pingfederate", section: {"adminUrl": "https://h.example.com/p?q=1#f"},
    problems: [
      "coder-oidc:pingfederate.adminUrl: must not have a query or fragment, got \"https://h.example.com/p?q=1#f\"",
    ] },
  { idp: "pingfederate", section: {"issuerUrl": 42},
    problems: [
      "coder-oidc:pingfederate.issuerUrl: must be a string (PingFederate runtime base URL)",
    ] },
  { idp: "pingfederate", section: {"issuerUrl": ""},
    problems: [
      "coder-oidc:pingfederate.issuerUrl: must be an absolute URL (PingFederate runtime base URL), got \"\"",
    ] },
  { idp: "pingfederate", section: {"issuerUrl": "x y"},
    problems: [
      "coder-oidc:pingfederate.issuerUrl: must not contain spaces or control characters (PingFederate runtime base URL), got \"x y\"",
    ] },
  { idp: "pingfederate", section: {"issuerUrl": "http://h.example.com"},
    problems: [
      "coder-oidc:pingfederate.issuerUrl: must use https (http is allowed only for localhost or 127.0.0.1), got \"http://h.example.com\"",
    ] },
  { idp: "pingfederate", section: {"issuerUrl": "https://u:p@h.example.com"},
    problems: [
      "coder-oidc:pingfederate.issuerUrl: must not carry credentials in the URL, got \"https://[credentials]@h.example.com\"",
    ] },
  { idp: "pingfederate", section: {"issuerUrl": "https://h.example.com/p?q=1#f"},
    problems: [
      "coder-oidc:pingfederate.issuerUrl: must not have a query or fragment, got \"https://h.example.com/p?q=1#f\"",
    ] },
  { idp: "pingfederate", section: {"username": 42},
    problems: [
      "coder-oidc:pingfederate.username: must be a string (admin username)",
    ] },
  { idp: "pingfederate", section: {"username": ""},
    problems: [
      "coder-oidc:pingfederate.username: must not be empty (admin username)",
    ] },
  { idp: "pingfederate", section: {"password": 42},
    problems: [
      "coder-oidc:pingfederate.password: must be a string (admin password)",
      "coder-oidc:pingfederate.password: must be a secret: pulumi config set --secret --path 'pingfederate.password' <value>",
      "coder-oidc:pingfederate.username: is required when pingfederate.password is set",
    ] },
  { idp: "pingfederate", section: {"password": ""},
    problems: [
      "coder-oidc:pingfederate.password: must not be empty (admin password)",
      "coder-oidc:pingfederate.password: must be a secret: pulumi config set --secret --path 'pingfederate.password' <value>",
      "coder-oidc:pingfederate.username: is required when pingfederate.password is set",
    ] },
  { idp: "pingfederate", section: {"token": 42},
    problems: [
      "coder-oidc:pingfederate.token: must be a string (admin bearer token)",
      "coder-oidc:pingfederate.token: must be a secret: pulumi config set --secret --path 'pingfederate.token' <value>",
    ] },
  { idp: "pingfederate", section: {"token": ""},
    problems: [
      "coder-oidc:pingfederate.token: must not be empty (admin bearer token)",
      "coder-oidc:pingfederate.token: must be a secret: pulumi config set --secret --path 'pingfederate.token' <value>",
    ] },
  { idp: "pingfederate", section: {"caCertificate": 42},
    problems: [
      "coder-oidc:pingfederate.caCertificate: must be a string (CA certificate PEM or file path)",
    ] },
  { idp: "pingfederate", section: {"caCertificate": ""},
    problems: [
      "coder-oidc:pingfederate.caCertificate: must not be empty (CA certificate PEM or file path)",
    ] },
  { idp: "pingfederate", section: {"insecureSkipTlsVerify": 42},
    problems: [
      "coder-oidc:pingfederate.insecureSkipTlsVerify: must be true or false",
    ] },
  { idp: "pingfederate", section: {"accessTokenManagerId": 42},
    problems: [
      "coder-oidc:pingfederate.accessTokenManagerId: must be a string (access token manager id)",
    ] },
  { idp: "pingfederate", section: {"accessTokenManagerId": ""},
    problems: [
      "coder-oidc:pingfederate.accessTokenManagerId: must be 1 to 32 letters, digits or _ (access token manager id), as PingFederate names plugin instances",
    ] },
  { idp: "pingfederate", section: {"oidcPolicyGroupId": 42},
    problems: [
      "coder-oidc:pingfederate.oidcPolicyGroupId: must be a string (OIDC policy id)",
    ] },
  { idp: "pingfederate", section: {"oidcPolicyGroupId": ""},
    problems: [
      "coder-oidc:pingfederate.oidcPolicyGroupId: must be 1 to 32 letters, digits or _ (OIDC policy id), as PingFederate names plugin instances",
    ] },
  { idp: "pingfederate", section: {"replicate": 42},
    problems: [
      "coder-oidc:pingfederate.replicate: must be auto or never",
    ] },
  { idp: "pingfederate", section: {"secretVersion": true},
    problems: [
      "coder-oidc:pingfederate.secretVersion: must be a string, e.g. 2026-11",
    ] },
  { idp: "pingfederate", section: {"secretOverlap": 42},
    problems: [
      "coder-oidc:pingfederate.secretOverlap: must be a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "pingfederate", section: {"secretOverlap": ""},
    problems: [
      "coder-oidc:pingfederate.secretOverlap: \"\" is not a duration: write a whole number and a unit: 90s, 15m, 1h or 30d",
    ] },
  { idp: "pingfederate", section: {"secretOverlap": "0s"},
    problems: [
      "coder-oidc:pingfederate.secretOverlap: must be positive, got \"0s\"",
    ] },
  { idp: "pingfederate", top: {"clientId": "a/b"},
    problems: [
      "coder-oidc:clientId: must be 1 to 255 printable ASCII characters without spaces or any of / \\ ? # % (PingFederate client id, part of the admin API path /oauth/clients/<id>): it is part of the IdP's URLs, got \"a/b\"",
    ] },
  { idp: "pingfederate", top: {"tokens": "{\"refreshIdleTimeout\":\"1s\",\"accessTokenLifetime\":\"2s\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: must be at least tokens.accessTokenLifetime, or refreshes fail before the access token even expires",
      "coder-oidc:tokens.refreshIdleTimeout: must be whole minutes for PingFederate (its finest unit), got 1s",
    ] },
  { idp: "pingfederate", top: {"tokens": "{\"refreshIdleTimeout\":\"90s\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: must be whole minutes for PingFederate (its finest unit), got 90s",
    ] },
  { idp: "pingfederate", top: {"refreshTokenRotation": "on"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: is required with refreshTokenRotation: on: rotation without a reuse window signs users out at random, because Coder refreshes several times at once and PingFederate refuses all but one with invalid_grant (coder/coder#25275); set 1s to 2147483647s (Client.refreshTokenRollingGracePeriod, with refreshTokenRollingGracePeriodType OVERRIDE_SERVER_DEFAULT)",
    ] },
  { idp: "pingfederate", withoutSection: true,
    problems: [
      "coder-oidc:pingfederate: is required when idp is pingfederate",
    ] },
  { idp: "okta", section: {"authorizationServer": 42},
    problems: [
      "coder-oidc:okta.authorizationServer: must be org or a custom authorization server id, e.g. default",
    ] },
  { idp: "okta", section: {"authorizationServer": ""},
    problems: [
      "coder-oidc:okta.authorizationServer: must be org or a custom authorization server id (letters and digits), e.g. default",
    ] },
  { idp: "okta", section: {"consent": 42},
    problems: [
      "coder-oidc:okta.consent: must be trusted or required",
    ] },
  { idp: "okta", section: {"groupsClaim": 42},
    problems: [
      "coder-oidc:okta.groupsClaim: must be true or false",
    ] },
  { idp: "okta", section: {"groupsClaim": true},
    problems: [
      "coder-oidc:okta.groupsClaim: needs a custom authorization server (coder-oidc:okta.authorizationServer, e.g. default): the claim is declared there",
    ] },
  { idp: "okta", section: {"assignedGroups": 42},
    problems: [
      "coder-oidc:okta.assignedGroups: must be everyone or a list of Okta group ids, e.g. [00g1abcd2EFGH3ijk4x7]",
    ] },
  { idp: "okta", section: {"assignedGroups": []},
    problems: [
      "coder-oidc:okta.assignedGroups: must list at least one Okta group id, or be everyone",
    ] },
  { idp: "okta", top: {"clientId": ""},
    problems: [
      "coder-oidc:clientId: must not be empty (OAuth client id)",
      "coder-oidc:clientId: is not used with Okta: Okta assigns the client id; remove coder-oidc:clientId",
    ] },
  { idp: "okta", top: {"tokens": "{\"refreshIdleTimeout\":\"1s\",\"accessTokenLifetime\":\"2s\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: cannot be set with Okta's org authorization server (coder-oidc:okta.authorizationServer: org), whose lifetimes are fixed: use a custom authorization server, e.g. coder-oidc:okta.authorizationServer: default",
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Okta's org authorization server (coder-oidc:okta.authorizationServer: org), whose lifetimes are fixed: use a custom authorization server, e.g. coder-oidc:okta.authorizationServer: default",
    ] },
  { idp: "okta", top: {"tokens": "{\"refreshIdleTimeout\":\"2m\",\"refreshMaxLifetime\":\"1m\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Okta's org authorization server (coder-oidc:okta.authorizationServer: org), whose lifetimes are fixed: use a custom authorization server, e.g. coder-oidc:okta.authorizationServer: default",
      "coder-oidc:tokens.refreshMaxLifetime: cannot be set with Okta's org authorization server (coder-oidc:okta.authorizationServer: org), whose lifetimes are fixed: use a custom authorization server, e.g. coder-oidc:okta.authorizationServer: default",
    ] },
  { idp: "okta", top: {"refreshTokenRotation": "on"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: is required with refreshTokenRotation: on: rotation without a reuse window signs users out at random, because Coder refreshes several times at once and Okta refuses all but one with invalid_grant (coder/coder#25275); set 1s to 1m (okta.app.OAuth refreshTokenLeeway)",
    ] },
  { idp: "okta", withoutSection: true,
    problems: [
      "coder-oidc:okta: is required when idp is okta",
    ] },
  { idp: "okta", top: {"refreshTokenRotation": "on", "refreshTokenReuseWindow": "3650d"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: must be between 1s and 1m for Okta (okta.app.OAuth refreshTokenLeeway; Okta: grace period for token rotation, 0-60 seconds, default 30 (developer.okta.com/docs/guides/refresh-tokens/)), got 3650d",
    ] },
  { idp: "auth0", section: {"customDomain": 42},
    problems: [
      "coder-oidc:auth0.customDomain: must be a string (Auth0 custom domain)",
    ] },
  { idp: "auth0", section: {"customDomain": ""},
    problems: [
      "coder-oidc:auth0.customDomain: must be a host name such as login.example.com, without https:// or a path (Auth0 custom domain)",
    ] },
  { idp: "auth0", section: {"tokenEndpointAuthMethod": 42},
    problems: [
      "coder-oidc:auth0.tokenEndpointAuthMethod: must be client_secret_post or client_secret_basic",
    ] },
  { idp: "auth0", top: {"clientId": ""},
    problems: [
      "coder-oidc:clientId: must not be empty (OAuth client id)",
      "coder-oidc:clientId: is not used with Auth0: Auth0 assigns the client id; remove coder-oidc:clientId",
    ] },
  { idp: "auth0", top: {"tokens": "{\"refreshIdleTimeout\":\"1s\",\"accessTokenLifetime\":\"2s\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: cannot be set with Auth0 by this toolkit: Coder asks for no audience, so Auth0 issues its /userinfo access token, whose lifetime is the tenant's, not the application's",
    ] },
  { idp: "auth0", top: {"tokens": "{\"refreshMaxLifetime\":\"6000d\"}"},
    problems: [
      "coder-oidc:tokens.refreshMaxLifetime: must be at most 157788000s (five years, Auth0's limit), got 6000d",
    ] },
  { idp: "auth0", top: {"refreshTokenRotation": "on"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: is required with refreshTokenRotation: on: rotation without a reuse window signs users out at random, because Coder refreshes several times at once and Auth0 refuses all but one with invalid_grant (coder/coder#25275); set 1s to 1d (auth0.Client refreshToken.leeway)",
    ] },
  { idp: "auth0", top: {"refreshTokenRotation": "on", "refreshTokenReuseWindow": "3650d"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: must be between 1s and 1d for Auth0 (auth0.Client refreshToken.leeway; Auth0 Management API ClientRefreshTokenConfiguration.leeway, seconds, minimum 0), got 3650d",
    ] },  // Rules across keys and with the provider's own keys, and the values just inside each limit.
  { idp: "google", secretKeys: [],
    problems: [
      "coder-oidc:google.clientSecret: must be a secret: pulumi config set --secret --path 'google.clientSecret' <value>",
    ] },
  { idp: "google", section: {"secretManager": {"secretId": "coder"}}, keys: {"gcp:project": null},
    problems: [
      "coder-oidc:google.secretManager.project: is required unless gcp:project is set",
    ] },
  { idp: "google", section: {"secretManager": {"secretId": "bad id"}},
    problems: [
      "coder-oidc:google.secretManager.secretId: must be 1-255 letters, digits, _ or -",
    ] },
  { idp: "google", section: {"secretManager": {"secretId": "coder", "project": "Bad_Project"}},
    problems: [
      "coder-oidc:google.secretManager.project: must be a Google Cloud project id: 6 to 30 lowercase letters, digits or -, starting with a letter",
    ] },
  { idp: "google", top: {"tokens": "{\"refreshIdleTimeout\":\"1d\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens",
    ] },
  { idp: "entra-id", keys: {"azuread:tenantId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"},
    problems: [
      "coder-oidc:entraId.tenantId: differs from azuread:tenantId (\"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d\"): the app would be created in one tenant while Coder's issuer names another; set only one of them, or both to the same id",
    ] },
  { idp: "entra-id", keys: {"azuread:tenantId": "3F2504E0-4F89-41D3-9A0C-0305E82C3301"},
    problems: [] },
  { idp: "entra-id", section: {"tenantId": "3F2504E0-4F89-41D3-9A0C-0305E82C3301"},
    problems: [
      "coder-oidc:entraId.tenantId: must be written in lowercase, \"3f2504e0-4f89-41d3-9a0c-0305e82c3301\", got \"3F2504E0-4F89-41D3-9A0C-0305E82C3301\": Entra's discovery document names its issuer by the lowercase GUID, and Coder compares the issuer character for character",
    ] },
  { idp: "entra-id", section: { tenantId: undefined }, keys: {"azuread:tenantId": "contoso"},
    problems: [
      "azuread:tenantId: must be the directory (tenant) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, got \"contoso\": Entra's discovery document names its issuer by that GUID, and Coder refuses an issuer URL that differs",
    ] },
  { idp: "entra-id", section: { tenantId: undefined },
    problems: [
      "coder-oidc:entraId.tenantId: is required unless azuread:tenantId is set",
    ] },
  { idp: "entra-id", section: {"secretRotation": "2099-01"},
    problems: [
      "coder-oidc:entraId.secretRotation: must not be in the future, got \"2099-01\": the client secret would outlive secretLifetime; set it to the month or day the secret is issued, e.g. \"2026-12\"",
    ] },
  { idp: "entra-id", section: { secretRotation: undefined },
    problems: [
      "coder-oidc:entraId.secretRotation: is required with Entra ID: the UTC month or day the client secret is issued, e.g. \"2026-11\" or \"2026-11-28\"; the secret's endDate is that date plus secretLifetime, the same on every run, and changing it issues a new secret",
    ] },
  { idp: "entra-id", section: {"previousSecretRotation": "2026-11"},
    problems: [
      "coder-oidc:entraId.previousSecretRotation: must be earlier than secretRotation (\"2026-11\"), got \"2026-11\": it names the secret being replaced",
    ] },
  { idp: "entra-id", section: {"previousSecretRotation": "2026-10"},
    problems: [] },
  { idp: "entra-id", section: {"secretLifetime": "731d"},
    problems: [
      "coder-oidc:entraId.secretLifetime: must be at most 730d (Microsoft's limit is two years)",
    ] },
  { idp: "entra-id", section: {"secretLifetime": "730d"},
    problems: [] },
  { idp: "entra-id", section: {"signInFrequency": "90m"},
    problems: [
      "coder-oidc:entraId.signInFrequency: must be whole hours or days, e.g. 12h or 7d (Conditional Access has no finer unit)",
    ] },
  { idp: "entra-id", section: {"signInFrequency": "366d"},
    problems: [
      "coder-oidc:entraId.signInFrequency: must be at most 365d: Conditional Access sign-in frequency goes up to 365 days",
    ] },
  { idp: "entra-id", section: {"signInFrequency": "365d"},
    problems: [] },
  { idp: "keycloak", keys: {"keycloak:url": null},
    problems: [
      "keycloak:url: is required: the Keycloak base URL, e.g. https://sso.example.com",
    ] },
  { idp: "keycloak", keys: {"keycloak:url": "http://sso.example.com"},
    problems: [
      "keycloak:url: must use https (http is allowed only for localhost or 127.0.0.1), got \"http://sso.example.com\"",
    ] },
  { idp: "pingfederate", top: {"tokens": "{\"refreshMaxLifetime\":\"90s\"}"},
    problems: [
      "coder-oidc:tokens.refreshMaxLifetime: must be whole minutes for PingFederate (its finest unit), got 90s",
    ] },
  { idp: "pingfederate", section: {"token": "t"}, secretKeys: ["coder-oidc:pingfederate"],
    problems: [] },
  { idp: "pingfederate", section: {"token": "t", "username": "u"}, secretKeys: ["coder-oidc:pingfederate"],
    problems: [
      "coder-oidc:pingfederate.token: excludes pingfederate.username and pingfederate.password: choose one way to log in",
    ] },
  { idp: "pingfederate", section: {"rollRefreshTokens": true},
    problems: [
      "coder-oidc:pingfederate.rollRefreshTokens: is replaced by coder-oidc:refreshTokenRotation: remove it; refreshTokenRotation off (the default) sets refreshRolling DONT_ROLL, on (with coder-oidc:refreshTokenReuseWindow) sets ROLL with that grace period",
    ] },
  { idp: "pingfederate", top: {"refreshTokenRotation": "on", "refreshTokenReuseWindow": "0s"},
    problems: [
      "coder-oidc:refreshTokenReuseWindow: must be positive, got \"0s\"",
    ] },
  { idp: "okta", keys: {"okta:orgName": null},
    problems: [
      "okta:orgName: is required: your Okta org's subdomain, e.g. dev-123456 for dev-123456.okta.com",
    ] },
  { idp: "okta", keys: {"okta:orgName": "dev.123456"},
    problems: [
      "okta:orgName: must be the org's subdomain only, e.g. dev-123456 (no scheme or dots), got \"dev.123456\"",
    ] },
  { idp: "okta", keys: {"okta:orgName": "Dev-123456"},
    problems: [
      "okta:orgName: must be written in lowercase, \"dev-123456\", got \"Dev-123456\": the IdP publishes its issuer with a lowercase host, and Coder compares the issuer character for character",
    ] },
  { idp: "okta", keys: {"okta:baseUrl": "https://okta.com"},
    problems: [
      "okta:baseUrl: must be Okta's domain, e.g. okta.com or oktapreview.com (no scheme), got \"https://okta.com\"",
    ] },
  { idp: "okta", keys: {"okta:baseUrl": "oktapreview.com"},
    problems: [] },
  { idp: "okta", section: {"authorizationServer": "default"}, top: {"tokens": "{\"accessTokenLifetime\":\"90s\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: must be whole minutes for Okta (its unit), got 90s",
    ] },
  { idp: "okta", section: {"authorizationServer": "default"}, top: {"tokens": "{\"accessTokenLifetime\":\"4m\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: must be between 5m and 1d for Okta, got 4m",
    ] },
  { idp: "okta", section: {"authorizationServer": "default"}, top: {"tokens": "{\"accessTokenLifetime\":\"5m\",\"refreshIdleTimeout\":\"1441m\"}"},
    problems: [] },
  { idp: "okta", section: {"authorizationServer": "default"}, top: {"tokens": "{\"accessTokenLifetime\":\"1441m\"}"},
    problems: [
      "coder-oidc:tokens.accessTokenLifetime: must be between 5m and 1d for Okta, got 1441m",
    ] },
  { idp: "okta", section: {"authorizationServer": "default"}, top: {"tokens": "{\"refreshMaxLifetime\":\"2628001m\"}"},
    problems: [
      "coder-oidc:tokens.refreshMaxLifetime: must be between 5m and 1825d for Okta, got 2628001m",
    ] },
  { idp: "okta", section: {"authorizationServer": "default"}, top: {"tokens": "{\"accessTokenLifetime\":\"1440m\",\"refreshMaxLifetime\":\"2628000m\"}"},
    problems: [] },
  { idp: "auth0", keys: {"auth0:domain": null},
    problems: [
      "auth0:domain: is required: the tenant's domain, e.g. example.us.auth0.com",
    ] },
  { idp: "auth0", keys: {"auth0:domain": "https://example.us.auth0.com"},
    problems: [
      "auth0:domain: must be the tenant's domain, e.g. example.us.auth0.com (no https:// or path), got \"https://example.us.auth0.com\"",
    ] },
  { idp: "auth0", top: {"tokens": "{\"refreshIdleTimeout\":\"157788001s\"}"},
    problems: [
      "coder-oidc:tokens.refreshIdleTimeout: must be at most 157788000s (five years, Auth0's limit), got 157788001s",
    ] },
  { idp: "auth0", top: {"tokens": "{\"refreshIdleTimeout\":\"157788000s\",\"refreshMaxLifetime\":\"157788000s\"}"},
    problems: [] },
  { idp: "auth0", secretKeys: ["coder-oidc:coderUrl"],
    problems: [
      "coder-oidc:coderUrl: must not be set with --secret: Coder's access URL is public (every browser is sent there) and is written in plain text into the IdP's redirect URIs and the state, so it would not stay secret; set it with pulumi config set coder-oidc:coderUrl <url>",
    ] },
  { idp: "okta", section: {"assignedGroups": ["00gA", " EveryOne ", "00gB"]},
    problems: [
      "coder-oidc:okta.assignedGroups: mixes everyone with group ids (00gA, 00gB): everyone already lets every user of the org sign in, so the ids would restrict nothing; write either assignedGroups: everyone, or the list of group ids alone",
    ] },
  { idp: "okta", section: {"assignedGroups": ["everyone", "EVERYONE"]},
    problems: [
      "coder-oidc:okta.assignedGroups: must be the word everyone, not a list holding it: write coder-oidc:okta.assignedGroups: everyone",
    ] },
  { idp: "keycloak", keys: {"keycloak:url": "nope"},
    problems: [
      "keycloak:url: must be an absolute URL (Keycloak base URL), got \"nope\"",
    ] },
  { idp: "entra-id", keys: {"azuread:environment": "usgovernment"},
    problems: [
      "azuread:environment: is \"usgovernment\": this toolkit outputs the global cloud's issuer (https://login.microsoftonline.com/<tenant>/v2.0) only, and a national cloud publishes another; remove it, or set CODER_OIDC_ISSUER_URL from that cloud's discovery document yourself",
    ] },
  { idp: "entra-id", keys: {"azuread:metadataHost": "x.example"},
    problems: [
      "azuread:metadataHost: is not supported with Entra ID here: the issuer this toolkit outputs is the global cloud's (https://login.microsoftonline.com/<tenant>/v2.0), which another metadata host does not publish",
    ] },
];

/** When dates are judged in these cases: 2026-12-15T00:00:00Z, so the expected messages never depend on the clock. */
const MESSAGES_NOW = Date.UTC(2026, 11, 15);

function problemsOf(c: Case): string[] {
  const base = BASES[c.idp];
  const values: Record<string, string> = { ...base.values };
  if (!c.withoutSection) values[`${C}${base.sectionKey}`] = JSON.stringify({ ...base.section, ...c.section });
  for (const [key, value] of Object.entries(c.top ?? {})) values[`${C}${key}`] = value;
  for (const [key, value] of Object.entries(c.keys ?? {})) {
    if (value === null) delete values[key];
    else values[key] = value;
  }
  try {
    parseStackConfig({ values, secretKeys: new Set(c.secretKeys ?? base.secretKeys) }, MESSAGES_NOW);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("every config rule reports its own problem, word for word", () => {
  for (const c of CASES) {
    const what = c.withoutSection ? "no section" : JSON.stringify({ ...c.section, ...c.top, ...c.keys, ...(c.secretKeys ? { secretKeys: c.secretKeys } : {}) });
    it(`${c.idp}: ${what}`, () => assert.deepEqual(problemsOf(c), c.problems));
  }

  it("each base stack is valid, so every problem above comes from what the case changes", () => {
    for (const idp of Object.keys(BASES)) assert.deepEqual(problemsOf({ idp, problems: [] }), [], idp);
  });
});

function parsed(idp: keyof typeof BASES, section: Record<string, unknown> = {}, top: Record<string, string> = {}) {
  const base = BASES[idp];
  const values: Record<string, string> = { ...base.values, [`${C}${base.sectionKey}`]: JSON.stringify({ ...base.section, ...section }) };
  for (const [key, value] of Object.entries(top)) values[`${C}${key}`] = value;
  return parseStackConfig({ values, secretKeys: new Set(base.secretKeys) });
}
const accepted = (idp: keyof typeof BASES, section: Record<string, unknown> = {}, top: Record<string, string> = {}): string[] =>
  problemsOf({ idp, section, top, problems: [] });

describe("the edges of each rule", () => {
  it("URLs: http only for the local hosts, credentials in any form refused, an empty query or fragment refused", () => {
    for (const url of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      assert.deepEqual(accepted("keycloak", {}, { coderUrl: url }), [], url);
      assert.deepEqual(accepted("keycloak", { issuerUrl: `${url}/realms/main` }), [], url);
    }
    for (const url of ["https://user@coder.example.com", "https://:pw@coder.example.com"]) {
      assert.deepEqual(accepted("keycloak", {}, { coderUrl: url }),
        ['coder-oidc:coderUrl: must not carry credentials in the URL, got "https://[credentials]@coder.example.com"'], url);
    }
    for (const url of ["https://coder.example.com/?", "https://coder.example.com/#"]) {
      assert.deepEqual(accepted("keycloak", {}, { coderUrl: url }), [`coder-oidc:coderUrl: must not have a query or fragment, got "${url}"`]);
    }
    // Only the user info is hidden: an @ later in the path is not a credential.
    assert.deepEqual(accepted("keycloak", { issuerUrl: "https://sso.example.com//x@y?z" }),
      ['coder-oidc:keycloak.issuerUrl: must not have a query or fragment, got "https://sso.example.com//x@y?z"']);
  });

  it("Entra tenant ids: a whole GUID, in lowercase (the form Entra's issuer names it by)", () => {
    assert.deepEqual(accepted("entra-id", { tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }), []);
    assert.equal(accepted("entra-id", { tenantId: "3F2504E0-4F89-41D3-9A0C-0305E82C3301" }).length, 1);
    for (const tenantId of ["x3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301x"]) {
      assert.equal(accepted("entra-id", { tenantId }).length, 1, tenantId);
    }
  });

  it("domain and host names: labels of 1 to 63 letters, digits and inner hyphens, a letter TLD, 253 characters in all", () => {
    const label63 = "a".repeat(63);
    const good = ["example.com", "a.b.example.co.uk", "xn--bcher-kva.example", "a-b.example.com", `${label63}.com`, `${"a.".repeat(125)}com`];
    // (Not "example…": the Google section is a secret, and its values are hidden wherever they appear in a message.)
    const bad = ["acme", "-a.org", "a-.org", "a..org", "acme.c", "acme.c0m", `${label63}a.org`, `${"a.".repeat(126)}org`, "acme.org.",
      "ac_me.org", "https://acme.org", "acme.org/x", ".acme.org"];
    for (const name of good) {
      assert.deepEqual(accepted("google", { hostedDomain: name }), [], name);
      assert.deepEqual(accepted("auth0", { customDomain: name }), [], name);
    }
    for (const name of bad) {
      assert.deepEqual(accepted("google", { hostedDomain: name }), ["coder-oidc:google.hostedDomain: must be a domain name such as example.com"], name);
      assert.equal(accepted("auth0", { customDomain: name }).length, 1, name);
    }
  });

  it("Okta authorization servers: org, or letters and digits", () => {
    for (const server of ["org", "default", "aus1a2b3c4d5E6f7g8"]) assert.equal(parsed("okta", { authorizationServer: server }).okta?.authorizationServer, server);
    for (const server of ["a-b", "a b", "default/"]) assert.equal(accepted("okta", { authorizationServer: server }).length, 1, server);
    assert.equal(parsed("okta", { authorizationServer: "a" }).okta?.authorizationServer, "a");
    assert.deepEqual(parsed("okta", { assignedGroups: ["00g1abcd2EFGH3ijk4x7"] }).okta?.assignedGroups, ["00g1abcd2EFGH3ijk4x7"]);
    assert.equal(parsed("okta", { assignedGroups: "everyone" }).okta?.assignedGroups, "everyone");
  });

  it("flags take true and false as booleans or strings", () => {
    for (const [value, expected] of [[true, true], ["true", true], [false, false], ["false", false]] as const) {
      assert.equal(parsed("entra-id", { groupsClaim: value }).entraId?.groupsClaim, expected, String(value));
    }
  });

  it("fills in every documented default", () => {
    const entra = parsed("entra-id").entraId!;
    assert.deepEqual({ groupsClaim: entra.groupsClaim, upnAsEmail: entra.upnAsEmail, appRoleAssignmentRequired: entra.appRoleAssignmentRequired,
      grantAdminConsent: entra.grantAdminConsent, secretLifetime: entra.secretLifetime },
    { groupsClaim: false, upnAsEmail: false, appRoleAssignmentRequired: false, grantAdminConsent: true, secretLifetime: 180 * 86400 });
    const pf = parsed("pingfederate").pingfederate!;
    assert.deepEqual({ insecureSkipTlsVerify: pf.insecureSkipTlsVerify, replicate: pf.replicate, secretOverlap: pf.secretOverlap },
      { insecureSkipTlsVerify: false, replicate: "auto", secretOverlap: 86400 });
    const okta = parsed("okta").okta!;
    assert.deepEqual({ authorizationServer: okta.authorizationServer, consent: okta.consent, groupsClaim: okta.groupsClaim },
      { authorizationServer: "org", consent: "trusted", groupsClaim: false });
    assert.equal(parsed("auth0").auth0?.tokenEndpointAuthMethod, "client_secret_post");
    const common = parsed("keycloak");
    assert.deepEqual({ displayName: common.displayName, refreshTokenRotation: common.refreshTokenRotation }, { displayName: "Coder", refreshTokenRotation: "off" });
  });

  it("takes the other allowed values as written", () => {
    assert.equal(parsed("pingfederate", { replicate: "never" }).pingfederate?.replicate, "never");
    assert.equal(parsed("pingfederate", { secretVersion: 2026 }).pingfederate?.secretVersion, "2026");
    assert.equal(parsed("okta", { consent: "required" }).okta?.consent, "required");
    assert.equal(parsed("auth0", { tokenEndpointAuthMethod: "client_secret_basic" }).auth0?.tokenEndpointAuthMethod, "client_secret_basic");
    assert.equal(parsed("entra-id", { signInAudience: "AzureADMultipleOrgs" }).entraId?.signInAudience, "AzureADMultipleOrgs");
    const entra = parsed("entra-id", { secretRotation: " 2026-11 ", previousSecretRotation: " 2026-05 " }).entraId!;
    assert.deepEqual([entra.secretRotation, entra.previousSecretRotation], ["2026-11", "2026-05"]);
  });
});
