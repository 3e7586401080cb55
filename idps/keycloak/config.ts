/**
 * `coder-oidc:keycloak`: where Coder's client lives in Keycloak, and the rules that span it and `keycloak:*`.
 */
import { z } from "zod";
import { httpsUrl, pathSafeId } from "../../src/config-fields";
import type { IdpConfigContext } from "../../src/idp";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";

/** `coder-oidc:keycloak`: where Coder's client lives in Keycloak. */
export const keycloakSchema = z.strictObject({
  /** The realm Coder's users log in to (not necessarily the admin login realm, `keycloak:realm`). */
  realm: pathSafeId("the Keycloak realm Coder's users log in to"),
  /**
   * The issuer Coder should use, when Coder reaches Keycloak on another hostname than `keycloak:url`.
   * Default: `<keycloak:url><keycloak:basePath>/realms/<realm>`.
   */
  issuerUrl: httpsUrl("Keycloak issuer as Coder reaches it", true, false, { kind: "issuer", idp: "Keycloak" }).optional(),
});

/** Parsed `coder-oidc:keycloak`. */
export type KeycloakSettings = z.infer<typeof keycloakSchema>;

/** Keycloak's own rules: `keycloak:url` is set and in its one form; an explicit issuer names the stack's realm. */
export function keycloakConfigProblems({ raw, section, add, addKey }: IdpConfigContext<KeycloakSettings>): void {
  const url = raw.values["keycloak:url"];
  if (!url) {
    addKey("keycloak:url", "is required: the Keycloak base URL, e.g. https://sso.example.com");
  } else {
    const parsed = httpsUrl("Keycloak base URL", true, false, { kind: "base", idp: "Keycloak" }).safeParse(url);
    if (!parsed.success) addKey("keycloak:url", parsed.error.issues[0].message);
  }
  const issuer = section?.issuerUrl;
  if (issuer !== undefined && issuer !== OFFLINE_SECRET_PLACEHOLDER && section?.realm !== undefined) {
    // An explicit issuer still names the stack's own realm: Coder would otherwise trust another realm's logins.
    const realm = section.realm;
    const { origin, pathname } = new URL(issuer);
    const named = /\/realms\/([^/]+)$/.exec(pathname)?.[1];
    const form = `${origin}${named === undefined ? pathname : pathname.slice(0, -named.length - "/realms/".length)}/realms/${encodeURIComponent(realm)}`;
    if (named !== encodeURIComponent(realm)) {
      add(["keycloak", "issuerUrl"], named === undefined
        ? `must end in /realms/<realm>, as Keycloak's issuers do, e.g. "${form}", got "${issuer}"`
        : `names the realm "${decodeURIComponent(named)}", not this stack's realm "${realm}" (coder-oidc:keycloak.realm), ` +
          `whose issuer is "${form}": Coder would trust another realm than the one its client is in`);
    }
  }
}
