/** Coder settings as a deployed stack gives them, with a client secret that every shell and reader must keep. */
import type { CoderEnvEntry } from "../../engine/plan";

/** A client secret full of what shells expand and dotenv readers split on. */
export const DEPLOYED_SECRET = "s3cr3t-$(rm -rf /)`x`\" #1 $HOME";

/** The five variables of a deployed stack, in output order. */
export const DEPLOYED: readonly CoderEnvEntry[] = [
  { name: "CODER_OIDC_ISSUER_URL", known: true, secret: false, value: "https://sso.example.com/realms/main" },
  { name: "CODER_OIDC_CLIENT_ID", known: true, secret: false, value: "coder" },
  { name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: DEPLOYED_SECRET },
  { name: "CODER_OIDC_SCOPES", known: true, secret: false, value: "openid,profile,email,offline_access" },
  { name: "CODER_OIDC_AUTH_URL_PARAMS", known: true, secret: false, value: '{"access_type":"offline"}' },
];
