/**
 * `coder-oidc:okta`: Coder's app in Okta and the authorization server that issues its tokens, Okta's token units and
 * ranges (one owner: the config rules and the component both read them), and the rules that span `okta:*`.
 */
import { z } from "zod";
import { flag, hostName, ISSUER_HOST_CASE, nonEmpty } from "../../src/config-fields";
import { formatDuration } from "../../src/duration";
import type { IdpConfigContext, TokenLifetimeKey } from "../../src/idp";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";

/** The value of `coder-oidc:okta.authorizationServer` that names Okta's org authorization server. */
export const OKTA_ORG_AUTHORIZATION_SERVER = "org";

/** Who may sign in to Coder's Okta app: Okta's built-in Everyone group. */
export const OKTA_EVERYONE = "everyone";

/** `coder-oidc:okta`: Coder's app in Okta and the authorization server that issues its tokens. */
export const oktaSchema = z.strictObject({
  /**
   * `org` (Okta's org authorization server: issuer `https://<org>.okta.com`, fixed lifetimes) or the id of a custom
   * authorization server, e.g. `default` (issuer `…/oauth2/<id>`; needs API Access Management). Default `org`.
   */
  authorizationServer: z
    .string({ error: "must be org or a custom authorization server id, e.g. default" })
    .regex(/^[A-Za-z0-9]+$/, { error: "must be org or a custom authorization server id (letters and digits), e.g. default" })
    .default(OKTA_ORG_AUTHORIZATION_SERVER),
  /** `trusted` (no consent screen) or `required` (users consent once). Default `trusted`. */
  consent: z.enum(["trusted", "required"], { error: "must be trusted or required" }).default("trusted"),
  /** Add a `groups` claim (every group, on the custom server) and set `CODER_OIDC_GROUP_FIELD=groups`. Default false. */
  groupsClaim: flag.default(false),
  /** Who may sign in: `everyone` (Okta's Everyone group) or a list of Okta group ids. Required. */
  assignedGroups: z.union([
    z.literal(OKTA_EVERYONE),
    z.array(nonEmpty("Okta group id"), { error: "must be everyone or a list of Okta group ids" })
      .min(1, { error: "must list at least one Okta group id, or be everyone" }),
  ], { error: "must be everyone or a list of Okta group ids, e.g. [00g1abcd2EFGH3ijk4x7]" }),
});

/** Parsed `coder-oidc:okta`. */
export type OktaSettings = z.infer<typeof oktaSchema>;

/** Okta's access-token range (minutes), from @pulumi/okta's ServerPolicyRule documentation. */
export const OKTA_ACCESS_TOKEN_MINUTES = { min: 5, max: 1440 } as const;
/** Okta's refresh-token ranges (minutes), idle and absolute, from the same documentation. */
export const OKTA_REFRESH_MINUTES = { min: 5, max: 2_628_000 } as const;

/** Whether the stack uses Okta's org authorization server (fixed lifetimes, no policies); unset means org. */
export function usesOrgServer(section: Partial<OktaSettings> | undefined): boolean {
  return (section?.authorizationServer ?? OKTA_ORG_AUTHORIZATION_SERVER) === OKTA_ORG_AUTHORIZATION_SERVER;
}

/** Whether `seconds` is a value Okta takes for `key`: whole minutes within its range. */
export function oktaLifetimeInRange(key: TokenLifetimeKey, seconds: number): boolean {
  const range = key === "accessTokenLifetime" ? OKTA_ACCESS_TOKEN_MINUTES : OKTA_REFRESH_MINUTES;
  return seconds % 60 === 0 && seconds / 60 >= range.min && seconds / 60 <= range.max;
}


/** Okta's own rules: the org in its one form, lifetimes in its units and ranges (none on the org server), who signs in. */
export function oktaConfigProblems({ config, section, raw, add, addKey }: IdpConfigContext<OktaSettings>): void {
  const orgName = raw.values["okta:orgName"];
  if (!orgName) {
    addKey("okta:orgName", "is required: your Okta org's subdomain, e.g. dev-123456 for dev-123456.okta.com");
  } else if (orgName === OFFLINE_SECRET_PLACEHOLDER) {
    // Set with --secret: checked when the engine runs, where it is decrypted.
  } else if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(orgName)) {
    addKey("okta:orgName", `must be the org's subdomain only, e.g. dev-123456 (no scheme or dots), got "${orgName}"`);
  } else if (orgName !== orgName.toLowerCase()) {
    addKey("okta:orgName", `must be written in lowercase, "${orgName.toLowerCase()}", got "${orgName}": ` +
      ISSUER_HOST_CASE);
  }
  const baseUrl = raw.values["okta:baseUrl"];
  if (baseUrl !== undefined && baseUrl !== OFFLINE_SECRET_PLACEHOLDER && !hostName("").safeParse(baseUrl).success) {
    addKey("okta:baseUrl", `must be Okta's domain, e.g. okta.com or oktapreview.com (no scheme), got "${baseUrl}"`);
  } else if (baseUrl !== undefined && baseUrl !== baseUrl.toLowerCase()) {
    addKey("okta:baseUrl", `must be written in lowercase, "${baseUrl.toLowerCase()}", got "${baseUrl}": ${ISSUER_HOST_CASE}`);
  }
  const { tokens = {} } = config;
  const okta = section;
  const orgServer = usesOrgServer(okta);
  for (const [key, seconds] of Object.entries(tokens) as [TokenLifetimeKey, number | undefined][]) {
    if (seconds === undefined) continue;
    if (orgServer) {
      add(["tokens", key], "cannot be set with Okta's org authorization server (coder-oidc:okta.authorizationServer: org), " +
        "whose lifetimes are fixed: use a custom authorization server, e.g. coder-oidc:okta.authorizationServer: default");
      continue;
    }
    const range = key === "accessTokenLifetime" ? OKTA_ACCESS_TOKEN_MINUTES : OKTA_REFRESH_MINUTES;
    if (seconds % 60 !== 0) {
      add(["tokens", key], `must be whole minutes for Okta (its unit), got ${formatDuration(seconds)}`);
    } else if (seconds / 60 < range.min || seconds / 60 > range.max) {
      add(["tokens", key], `must be between ${formatDuration(range.min * 60)} and ${formatDuration(range.max * 60)} for Okta, ` +
        `got ${formatDuration(seconds)}`);
    }
  }
  const groups = okta?.assignedGroups;
  if (Array.isArray(groups) && groups.some((id) => id.trim().toLowerCase() === OKTA_EVERYONE)) {
    const ids = groups.filter((id) => id.trim().toLowerCase() !== OKTA_EVERYONE);
    add(["okta", "assignedGroups"], ids.length === 0
      ? `must be the word everyone, not a list holding it: write coder-oidc:okta.assignedGroups: everyone`
      : `mixes everyone with group ids (${ids.join(", ")}): everyone already lets every user of the org sign in, so the ` +
        "ids would restrict nothing; write either assignedGroups: everyone, or the list of group ids alone");
  }
  if (okta?.groupsClaim && orgServer) {
    add(["okta", "groupsClaim"], "needs a custom authorization server (coder-oidc:okta.authorizationServer, e.g. default): " +
      "the claim is declared there");
  }
}

