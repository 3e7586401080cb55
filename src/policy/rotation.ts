/**
 * Refresh-token rotation: Coder's dashboard refreshes in parallel, so a refresh token that rotates on every
 * use, with no reuse or grace window, makes one of two parallel refreshes fail and signs the user out at
 * random (coder/coder#25275; FACTS.md §1.3). Advisory: rotation with a window is fine.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ResourceType } from "../resource-types";
import { isUnknown, plainRecord, seconds } from "./props";
import { resourceRule } from "./rule";

/** Reported when refresh tokens rotate without a reuse or grace window (Keycloak realm, PingFederate, Okta and Auth0 clients). */
export function requireRotationReuseWindow(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Rotating refresh tokens have a reuse or grace window (Coder refreshes in parallel, coder/coder#25275).",
    enforcementLevel: "advisory",
    types: [ResourceType.KeycloakRealm, ResourceType.PingFederateOAuthClient, ResourceType.OktaOAuthApp, ResourceType.Auth0Client],
    check: (props, { type, name: resource, report }) => {
      if (type === ResourceType.KeycloakRealm) {
        if (props.revokeRefreshToken !== true || isUnknown(props.refreshTokenMaxReuse)) return;
        const reuse = seconds(props.refreshTokenMaxReuse) ?? 0;
        if (reuse >= 1) return;
        report(`Keycloak realm ${resource}: revokeRefreshToken is on with refreshTokenMaxReuse ${reuse}; Coder refreshes in parallel, ` +
          "so users get signed out at random (coder/coder#25275). Turn revokeRefreshToken off, or set refreshTokenMaxReuse to 1 or more.");
        return;
      }
      if (type === ResourceType.OktaOAuthApp) {
        // Unset, the provider sends a leeway of 0.
        if (props.refreshTokenRotation !== "ROTATE" || isUnknown(props.refreshTokenLeeway)) return;
        const leeway = seconds(props.refreshTokenLeeway) ?? 0;
        if (leeway > 0) return;
        report(`Okta app ${resource}: refreshTokenRotation is ROTATE with refreshTokenLeeway ${leeway}; Coder refreshes in parallel, so users ` +
          "get signed out at random (coder/coder#25275). Set coder-oidc:refreshTokenRotation: off, or give coder-oidc:refreshTokenReuseWindow (1s to 60s).");
        return;
      }
      if (type === ResourceType.Auth0Client) {
        const refresh = plainRecord(props.refreshToken);
        if (refresh.rotationType !== "rotating" || isUnknown(refresh.leeway)) return;
        const leeway = seconds(refresh.leeway) ?? 0;
        if (leeway > 0) return;
        report(`Auth0 application ${resource}: refreshToken.rotationType is rotating with leeway ${leeway}; Coder refreshes in parallel, so users ` +
          "get signed out at random (coder/coder#25275). Set coder-oidc:refreshTokenRotation: off, or give coder-oidc:refreshTokenReuseWindow.");
        return;
      }
      if (props.refreshRolling !== "ROLL" || isUnknown(props.refreshTokenRollingGracePeriod)) return;
      const grace = seconds(props.refreshTokenRollingGracePeriod) ?? 0;
      if (grace > 0) return;
      report(`PingFederate client ${resource}: refreshRolling is ROLL without a grace period; Coder refreshes in parallel, so users get ` +
        "signed out at random (coder/coder#25275). Set coder-oidc:pingfederate.rollRefreshTokens: false, or give the rolling a grace period.");
    },
  });
}
