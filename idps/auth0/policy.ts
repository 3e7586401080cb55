/**
 * Auth0: Coder's application must be a regular web application, OIDC conformant (rotation and the modern refresh
 * behaviour need it), with the authorization code and refresh token grants and expiring refresh tokens. Rotation
 * without a leeway is in ./rotation. Sources: README "Auth0", @pulumi/auth0 3.49.0 `client.d.ts`,
 * Auth0 "Refresh Tokens" and "Configure Refresh Token Rotation".
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AUTH0_TYPES } from "./types";
import { isUnknown, plainRecord, stringList, seconds } from "../../src/policy/props";
import { listText, resourceRule } from "../../src/policy/rule";
import type { RotationCheck } from "../../src/policy/rotation";

const CLIENT = [AUTH0_TYPES.client];

/** The grants Coder's Auth0 application needs. */
export const AUTH0_CLIENT_GRANTS = ["authorization_code", "refresh_token"] as const;

/** `grantTypes`, when set, include `authorization_code` and `refresh_token`. */
export function requireAuth0RefreshGrant(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Auth0 application has the authorization_code and refresh_token grants.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const grants = stringList(props.grantTypes);
      // Unset: Auth0 gives a regular web application its default grants, refresh_token among them.
      if (grants === undefined || isUnknown(grants) || grants.some(isUnknown)) return;
      const missing = AUTH0_CLIENT_GRANTS.filter((g) => !grants.includes(g));
      if (missing.length === 0) return;
      report(`Auth0 application ${resource}: grantTypes (${listText(grants)}) lack ${missing.join(" and ")}; set grantTypes: ` +
        '["authorization_code", "refresh_token"] (without refresh_token Auth0 issues no refresh token for offline_access).');
    },
  });
}

/** `appType: regular_web` and `oidcConformant: true`. */
export function requireAuth0OidcConformant(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Auth0 application is a regular web application and OIDC conformant.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      if (!isUnknown(props.appType) && props.appType !== "regular_web") {
        report(`Auth0 application ${resource}: appType is ${String(props.appType ?? "unset")}; set appType: "regular_web" ` +
          "(Coder is a server-side app that keeps its client secret).");
      }
      if (!isUnknown(props.oidcConformant) && props.oidcConformant !== true) {
        report(`Auth0 application ${resource}: oidcConformant is ${String(props.oidcConformant ?? "unset (false)")}; set oidcConformant: true ` +
          "(refresh-token rotation and expiration are for OIDC-conformant applications).");
      }
    },
  });
}

/** `refreshToken.expirationType` is `expiring`, with finite idle and absolute lifetimes. */
export function requireAuth0ExpiringRefreshTokens(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Auth0 application issues expiring refresh tokens with a finite idle and absolute lifetime.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      if (isUnknown(props.refreshToken)) return;
      const refresh = plainRecord(props.refreshToken);
      if (isUnknown(refresh.expirationType)) return;
      if (refresh.expirationType !== "expiring") {
        report(`Auth0 application ${resource}: refreshToken.expirationType is ${String(refresh.expirationType ?? "unset (non-expiring)")}; ` +
          'set it to "expiring" with idleTokenLifetime and tokenLifetime (coder-oidc:tokens.refreshIdleTimeout and refreshMaxLifetime): ' +
          "non-expiring refresh tokens live until revoked, and rotation needs expiring ones.");
        return;
      }
      for (const field of ["infiniteIdleTokenLifetime", "infiniteTokenLifetime"] as const) {
        if (refresh[field] === true) {
          report(`Auth0 application ${resource}: refreshToken.${field} is true; set it to false and give ` +
            `${field === "infiniteIdleTokenLifetime" ? "idleTokenLifetime (coder-oidc:tokens.refreshIdleTimeout)" : "tokenLifetime (coder-oidc:tokens.refreshMaxLifetime)"}.`);
        }
      }
    },
  });
}

/** Auth0's part of the rotation rule: the application rotates with no leeway. */
export const auth0RotationCheck: RotationCheck = {
  type: AUTH0_TYPES.client,
  check: (props, { name: resource, report }) => {
    const refresh = plainRecord(props.refreshToken);
    if (refresh.rotationType !== "rotating" || isUnknown(refresh.leeway)) return;
    const leeway = seconds(refresh.leeway) ?? 0;
    if (leeway > 0) return;
    report(`Auth0 application ${resource}: refreshToken.rotationType is rotating with leeway ${leeway}; Coder refreshes in parallel, so users ` +
      "get signed out at random (coder/coder#25275). Set coder-oidc:refreshTokenRotation: off, or give coder-oidc:refreshTokenReuseWindow.");
  },
};
