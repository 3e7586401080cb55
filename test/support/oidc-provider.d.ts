// oidc-provider ships no type declarations; the tests use only its constructor and its request handler.
declare module "oidc-provider" {
  import type { RequestListener } from "node:http";
  /** A certified OpenID provider. */
  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    callback(): RequestListener;
  }
}
