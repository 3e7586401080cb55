/**
 * Okta: Coder's OIDC app must have the authorization code and refresh token grants and redirect only to Coder's
 * callback; on a custom authorization server, the access-policy rule for Coder's client must allow the
 * authorization code grant with `offline_access` (the refresh grant follows the grant that issued the token),
 * and consent `REQUIRED` only means something there. Rotation without a leeway is in ./rotation.
 * Sources: README "Okta", @pulumi/okta 7.0.0 `app/oauth.d.ts`, Okta's "Request user consent" guide (a custom
 * authorization server is what it needs), ../shared/reference/FACTS.md §2.4.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CoderEnvName } from "../../src/coder-env";
import { CODER_OIDC_CALLBACK_PATH, OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { OKTA_TYPES } from "./types";
import { isUnknown, plainRecord, stringList, seconds } from "../../src/policy/props";
import { isCoderCallback, listText, resourceRule, STACK_TYPE } from "../../src/policy/rule";
import type { RotationCheck } from "../../src/policy/rotation";

const APP = [OKTA_TYPES.oauthApp];
const POLICY_RULE = [OKTA_TYPES.serverPolicyRule];

/** The grants Coder's Okta app needs: it logs in with the code flow and refreshes with the refresh grant. */
export const OKTA_APP_GRANTS = ["authorization_code", "refresh_token"] as const;

/** The app's `grantTypes` include `authorization_code` and `refresh_token`, and it is a `web` app. */
export function requireOktaAppRefreshGrants(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Okta app is a web app with the authorization_code and refresh_token grants.",
    enforcementLevel: "mandatory",
    types: APP,
    check: (props, { name: resource, report }) => {
      if (!isUnknown(props.type) && props.type !== undefined && props.type !== "web") {
        report(`Okta app ${resource}: type is ${String(props.type)}; set type: "web" (Coder is a confidential client that keeps its secret on the server).`);
      }
      const grants = stringList(props.grantTypes);
      if (isUnknown(grants) || (grants ?? []).some(isUnknown)) return;
      const missing = OKTA_APP_GRANTS.filter((g) => !(grants ?? []).includes(g));
      if (missing.length === 0) return;
      report(`Okta app ${resource}: grantTypes (${listText(grants ?? [])}) lack ${missing.join(" and ")}; set grantTypes: ` +
        `["authorization_code", "refresh_token"]${missing.includes("refresh_token") ? " (without refresh_token Okta issues no refresh token and Coder signs users out hourly)" : ""}.`);
    },
  });
}

/** Every redirect URI is Coder's callback (https, no wildcard), and there is one. */
export function requireOktaCoderRedirectUris(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: `Coder's Okta app redirects only to Coder's callback(s), <coderUrl>${CODER_OIDC_CALLBACK_PATH}, without wildcards.`,
    enforcementLevel: "mandatory",
    types: APP,
    check: (props, { name: resource, report }) => {
      const uris = stringList(props.redirectUris);
      if (isUnknown(uris)) return;
      if (uris === undefined || uris.length === 0) {
        report(`Okta app ${resource}: no redirectUris; set them to Coder's callback, <coderUrl>${CODER_OIDC_CALLBACK_PATH}.`);
        return;
      }
      const wrong = uris.filter((u): u is string => !isUnknown(u) && !isCoderCallback(u));
      if (wrong.length > 0) {
        report(`Okta app ${resource}: redirectUris ${wrong.join(", ")} ${wrong.length === 1 ? "is" : "are"} not Coder's callback; ` +
          `list exactly <coderUrl>${CODER_OIDC_CALLBACK_PATH} (https, no wildcard, no query), i.e. coder-oidc:coderUrl.`);
      }
    },
  });
}

/**
 * The access-policy rule of Coder's client allows the authorization code grant and the `offline_access` scope
 * (or every scope, `*`): otherwise sign-in fails with "Policy evaluation failed", or Okta drops offline_access and
 * issues no refresh token.
 */
export function requireOktaPolicyRuleOfflineAccess(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "The Okta access-policy rule for Coder's client allows the authorization_code grant with the offline_access scope.",
    enforcementLevel: "mandatory",
    types: POLICY_RULE,
    check: (props, { name: resource, report }) => {
      const grants = stringList(props.grantTypeWhitelists);
      if (!isUnknown(grants) && !(grants ?? []).some(isUnknown) && !(grants ?? []).includes("authorization_code")) {
        report(`Okta access-policy rule ${resource}: grantTypeWhitelists (${listText(grants ?? [])}) lack authorization_code; add it ` +
          "(Coder signs in with the code flow, and Okta refreshes a token under the grant that issued it).");
      }
      const scopes = stringList(props.scopeWhitelists);
      if (isUnknown(scopes) || (scopes ?? []).some(isUnknown)) return;
      if (!(scopes ?? []).includes(OFFLINE_ACCESS_SCOPE) && !(scopes ?? []).includes("*")) {
        report(`Okta access-policy rule ${resource}: scopeWhitelists (${listText(scopes ?? [])}) lack ${OFFLINE_ACCESS_SCOPE}; add it, ` +
          "or Okta issues Coder no refresh token.");
      }
    },
  });
}

/**
 * Consent `REQUIRED` only with a custom authorization server: Okta's consent dialog is a custom-server feature, so on
 * the org server (issuer `https://<org>.okta.com`, no `/oauth2/<id>`) it does not do what the stack says. A stack
 * rule: the issuer is a stack output, the consent method an app input.
 */
export function requireOktaConsentOnCustomServer(name: string): StackValidationPolicy {
  return {
    name,
    description: "Coder's Okta app requires consent only on a custom authorization server (Okta's consent dialog needs one).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const apps = args.resources.filter((r) => r.type === OKTA_TYPES.oauthApp);
      if (apps.length === 0) return args.notApplicable("no Okta app in this stack");
      const stack = args.resources.find((r) => r.type === STACK_TYPE);
      const issuer = stack === undefined ? undefined : plainRecord(stack.props)[CoderEnvName.IssuerUrl];
      if (typeof issuer !== "string") return;
      let orgServer: boolean;
      try {
        orgServer = !/\/oauth2\/[^/]+\/?$/.test(new URL(issuer).pathname);
      } catch {
        return;
      }
      for (const app of apps) {
        const consent = plainRecord(app.props).consentMethod;
        if (consent !== "REQUIRED" || !orgServer) continue;
        report(`Okta app ${app.name}: consentMethod is REQUIRED, but ${CoderEnvName.IssuerUrl} ${issuer} is Okta's org authorization ` +
          "server, which shows no consent dialog; set coder-oidc:okta.consent: trusted, or use a custom authorization server " +
          "(coder-oidc:okta.authorizationServer, e.g. default).", app.urn);
      }
    },
  };
}

/** Okta's part of the rotation rule: the app rotates with no leeway. */
export const oktaRotationCheck: RotationCheck = {
  type: OKTA_TYPES.oauthApp,
  check: (props, { name: resource, report }) => {
    // Unset, the provider sends a leeway of 0.
    if (props.refreshTokenRotation !== "ROTATE" || isUnknown(props.refreshTokenLeeway)) return;
    const leeway = seconds(props.refreshTokenLeeway) ?? 0;
    if (leeway > 0) return;
    report(`Okta app ${resource}: refreshTokenRotation is ROTATE with refreshTokenLeeway ${leeway}; Coder refreshes in parallel, so users ` +
      "get signed out at random (coder/coder#25275). Set coder-oidc:refreshTokenRotation: off, or give coder-oidc:refreshTokenReuseWindow (1s to 60s).");
  },
};
