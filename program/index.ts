/**
 * The Pulumi program (package.json `main`). It validates the stack config before declaring anything, declares
 * Coder's OAuth client at the stack's IdP (its component, loaded with its SDK only now, through the registry), and
 * returns the Coder settings that match as stack outputs.
 *
 * The module exports one function, which Pulumi calls and whose result becomes the stack outputs. Importing
 * it declares nothing, so the offline plan and the tests can run it again and again under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { coderClientRequest, coderEnvOutputs } from "../src/coder-env";
import { idpOf, loadStackConfig } from "../idps/registry";

/** The logical name of the component that holds everything a stack declares. */
const COMPONENT_NAME = "coder";

/** Declares the stack's resources; resolves to its outputs (the Coder variables and a few more). */
async function coderOidcStack(): Promise<Record<string, pulumi.Output<string>>> {
  const config = loadStackConfig();
  const idp = idpOf(config.idp);
  const declare = idp.loadComponent();
  const section = (config as unknown as Record<string, unknown>)[idp.section.key];
  const client = declare(COMPONENT_NAME, {
    request: coderClientRequest(config, idp.coder),
    // A section the IdP lets a stack leave out (Auth0's) stands for its defaults.
    settings: section ?? idp.section.schema.parse({}),
    connection: idp.provider === undefined ? undefined : config.providers[idp.provider.namespace],
  });
  // Adopting: the existing client is looked up first; a lookup that fails is this run's error.
  if (client.ready) await client.ready;
  const outputs = coderEnvOutputs(client);
  for (const [name, value] of Object.entries(client.extraOutputs ?? {})) outputs[name] = pulumi.output(value);
  return outputs;
}

export = coderOidcStack;
