/**
 * The Pulumi program (Pulumi.yaml `main`). It validates the stack config before declaring anything, declares
 * Coder's OAuth client at the stack's IdP, and returns the Coder settings that match as stack outputs.
 *
 * The module exports one function, which Pulumi calls and whose result becomes the stack outputs. Importing
 * it declares nothing, so the offline plan and the tests can run it again and again under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_AUTH0_SETTINGS, loadStackConfig, type StackConfig } from "../src/config";
import { coderClientRequest, coderEnvOutputs, type CoderOidcClient } from "../src/coder-env";
import { Auth0CoderClient } from "../idps/auth0/component";
import { EntraIdCoderClient } from "../idps/entra-id/component";
import { GoogleCoderClient } from "../idps/google/component";
import { KeycloakCoderClient } from "../idps/keycloak/component";
import { OktaCoderClient } from "../idps/okta/component";
import { PingFederateCoderClient } from "../idps/pingfederate";

/** The logical name of the component that holds everything a stack declares. */
const COMPONENT_NAME = "coder";

function declareClient(config: StackConfig): CoderOidcClient {
  const request = coderClientRequest(config);
  switch (config.idp) {
    case "keycloak":
      return new KeycloakCoderClient(COMPONENT_NAME, {
        request,
        settings: config.keycloak!,
        connection: config.providers.keycloak,
      });
    case "entra-id":
      return new EntraIdCoderClient(COMPONENT_NAME, {
        request,
        settings: config.entraId!,
        connection: config.providers.azuread,
      });
    case "google":
      return new GoogleCoderClient(COMPONENT_NAME, {
        request,
        settings: config.google!,
        connection: config.providers.gcp,
      });
    case "pingfederate":
      return new PingFederateCoderClient(COMPONENT_NAME, { request, settings: config.pingfederate! });
    case "okta":
      return new OktaCoderClient(COMPONENT_NAME, { request, settings: config.okta!, connection: config.providers.okta });
    case "auth0":
      return new Auth0CoderClient(COMPONENT_NAME, {
        request,
        settings: config.auth0 ?? DEFAULT_AUTH0_SETTINGS,
        connection: config.providers.auth0,
      });
  }
}

/** Declares the stack's resources; resolves to its outputs (the Coder variables and a few more). */
async function coderOidcStack(): Promise<Record<string, pulumi.Output<string>>> {
  const config = loadStackConfig();
  const client = declareClient(config);
  // Adopting: the existing client is looked up first; a lookup that fails is this run's error.
  if (client.ready) await client.ready;
  const outputs = coderEnvOutputs(client);
  for (const [name, value] of Object.entries(client.extraOutputs ?? {})) outputs[name] = pulumi.output(value);
  return outputs;
}

export = coderOidcStack;
