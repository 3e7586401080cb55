/**
 * The PingFederate stack the real-engine tests deploy against the admin API simulator: the stack config (plain
 * values) and the admin credentials, which the tests set with `--secret` as a user would.
 */
import type { PfAdminSim } from "./pf-admin-sim";

/** What differs between the tests' PingFederate stacks. */
export interface PingFederateStackOptions {
  /** `coder-oidc:coderUrl`. */
  readonly coderUrl: string;
  /** `coder-oidc:clientId`. */
  readonly clientId: string;
  /** `coder-oidc:pingfederate.issuerUrl`. */
  readonly issuerUrl: string;
  /** `coder-oidc:pingfederate.caCertificate`: the simulator's CA as PEM text, or a file the stack names. */
  readonly caCertificate: string;
}

/** The stack config and its secrets: 30-day idle and 90-day max refresh lifetimes, replication `auto`, secret version 1. */
export function pingFederateStack(sim: PfAdminSim, options: PingFederateStackOptions): {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
} {
  return {
    config: {
      "coder-oidc:coderUrl": options.coderUrl,
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:clientId": options.clientId,
      "coder-oidc:tokens": { refreshIdleTimeout: "30d", refreshMaxLifetime: "90d" },
      "coder-oidc:pingfederate": {
        adminUrl: sim.httpsUrl,
        issuerUrl: options.issuerUrl,
        caCertificate: options.caCertificate,
        accessTokenManagerId: "coderAtm",
        oidcPolicyGroupId: "coderOidcPolicy",
        replicate: "auto",
        secretVersion: "1",
      },
    },
    secrets: {
      "coder-oidc:pingfederate.username": sim.username,
      "coder-oidc:pingfederate.password": sim.password,
    },
  };
}
