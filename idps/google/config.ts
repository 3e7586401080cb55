/**
 * `coder-oidc:google`: the OAuth client made by hand in Google's console (no API creates one), and what the stack
 * automates around it.
 */
import { z } from "zod";
import { nonEmpty } from "../../src/config-fields";
import type { IdpConfigContext } from "../../src/idp";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";

/** A Google Cloud project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter (or domain-scoped). */
export const GCP_PROJECT_ID = /^(?:[a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** {@link GCP_PROJECT_ID}'s rule, for messages. */
export const GCP_PROJECT_ID_RULE = "a Google Cloud project id: 6 to 30 lowercase letters, digits or -, starting with a letter";

/** `coder-oidc:google`: the manually created Google OAuth client, and what can be automated around it. */
export const googleSchema = z.strictObject({
  /** The OAuth client id, `….apps.googleusercontent.com`. */
  clientId: nonEmpty("the Google OAuth client id").refine((v) => v === OFFLINE_SECRET_PLACEHOLDER || v.endsWith(".apps.googleusercontent.com"), {
    error: "must be a Google OAuth client id ending in .apps.googleusercontent.com",
  }),
  /** The OAuth client secret; must be stored with `pulumi config set --secret`. */
  clientSecret: nonEmpty("the Google OAuth client secret"),
  /** Store the client secret in Secret Manager so Coder's deployment can mount it. Default: don't. */
  secretManager: z
    .strictObject({
      /** The Google Cloud project that holds the secret. Default: `gcp:project`. */
      project: z.string({ error: "must be a string" }).regex(GCP_PROJECT_ID, { error: `must be ${GCP_PROJECT_ID_RULE}` }).optional(),
      /** The secret's id. */
      secretId: z
        .string({ error: "must be a string" })
        .regex(/^[A-Za-z0-9_-]{1,255}$/, { error: "must be 1-255 letters, digits, _ or -" }),
    })
    .optional(),
  /** Google Workspace domain: adds `hd` to the auth URL params and sets `CODER_OIDC_EMAIL_DOMAIN`. */
  hostedDomain: z
    .string({ error: "must be a string" })
    .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, {
      error: "must be a domain name such as example.com",
    })
    .optional(),
});

/** Parsed `coder-oidc:google`. */
export type GoogleSettings = z.infer<typeof googleSchema>;

/** Google's own rules: Google owns every token lifetime; Secret Manager needs a project. */
export function googleConfigProblems({ config, section, raw, add }: IdpConfigContext<GoogleSettings>): void {
  for (const key of Object.keys(config.tokens ?? {})) {
    add(["tokens", key], "cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens");
  }
  if (section?.secretManager && section.secretManager.project === undefined && !raw.values["gcp:project"]) {
    add(["google", "secretManager", "project"], "is required unless gcp:project is set");
  }
}
