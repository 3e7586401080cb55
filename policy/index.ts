/**
 * The coder-oidc policy pack: `pulumi preview --policy-pack policy`. Builds the pack, nothing else; the
 * rules are in one file per domain, listed in ./policies.
 */
import { PolicyPack } from "@pulumi/policy";
import { coderOidcPolicies, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies: coderOidcPolicies() });
