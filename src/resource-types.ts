/**
 * The type tokens of the resources this toolkit declares, in one place: the policy pack and the offline
 * plan's policy run match on them (they must never import providers/, which would load every IdP SDK and
 * whose modules declare resources). A test checks each SDK token against the SDK's own class.
 */
import type { IdpKind } from "./idps";

/** The components `program/index.ts` declares, one per IdP (`coder-oidc:providers:<Name>`). */
export const ComponentType = {
  /** idps/keycloak/component.ts. */
  keycloak: "coder-oidc:providers:KeycloakCoderClient",
  /** idps/entra-id/component.ts. */
  "entra-id": "coder-oidc:providers:EntraIdCoderClient",
  /** idps/google/component.ts. */
  google: "coder-oidc:providers:GoogleCoderClient",
  /** idps/pingfederate/component.ts. */
  pingfederate: "coder-oidc:providers:PingFederateCoderClient",
  /** idps/okta/component.ts. */
  okta: "coder-oidc:providers:OktaCoderClient",
  /** idps/auth0/component.ts. */
  auth0: "coder-oidc:providers:Auth0CoderClient",
} as const satisfies Record<IdpKind, string>;

/** The resources the policies look at, by role. */
export const ResourceType = {
  /** `keycloak.openid.Client`: Coder's OpenID client. */
  KeycloakClient: "keycloak:openid/client:Client",
  /** `keycloak.openid.ClientOptionalScopes`: the client's optional scopes (authoritative). */
  KeycloakClientOptionalScopes: "keycloak:openid/clientOptionalScopes:ClientOptionalScopes",
  /** `keycloak.Realm`: carries refresh-token rotation (`revokeRefreshToken`). Not declared here, but checked if added. */
  KeycloakRealm: "keycloak:index/realm:Realm",
  /** `azuread.Application`: Coder's app registration. */
  EntraApplication: "azuread:index/application:Application",
  /** `azuread.ApplicationPassword`: its client secret. */
  EntraApplicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
  /** The PingFederate OAuth client (a dynamic resource: `pulumi-nodejs:dynamic/<module>:<type>`). */
  PingFederateOAuthClient: "pulumi-nodejs:dynamic/pingfederate:OAuthClient",
  /** The PingFederate common scope (a dynamic resource). */
  PingFederateCommonScope: "pulumi-nodejs:dynamic/pingfederate:CommonScope",
  /** `okta.app.OAuth`: Coder's OIDC app in Okta. */
  OktaOAuthApp: "okta:app/oAuth:OAuth",
  /** `okta.auth.ServerPolicy`: Coder's access policy on a custom authorization server. */
  OktaServerPolicy: "okta:auth/serverPolicy:ServerPolicy",
  /** `okta.auth.ServerPolicyRule`: its rule (grants, scopes, lifetimes). */
  OktaServerPolicyRule: "okta:auth/serverPolicyRule:ServerPolicyRule",
  /** `okta.app.GroupAssignment`: who may sign in. */
  OktaGroupAssignment: "okta:app/groupAssignment:GroupAssignment",
  /** `auth0.Client`: Coder's application in Auth0. */
  Auth0Client: "auth0:index/client:Client",
  /** `auth0.ClientCredentials`: its token endpoint authentication (and secret). */
  Auth0ClientCredentials: "auth0:index/clientCredentials:ClientCredentials",
  /** `auth0.ResourceServer`: an API (audience); not declared here, but checked if added. */
  Auth0ResourceServer: "auth0:index/resourceServer:ResourceServer",
  /** The root stack resource; its properties are the stack outputs. */
  Stack: "pulumi:pulumi:Stack",
} as const;
