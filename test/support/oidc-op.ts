/** A certified OpenID provider (npm `oidc-provider`) on 127.0.0.1, with the scopes a test gives it. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A running provider: its issuer URL, and how to stop it. */
export interface TestOp {
  readonly issuer: string;
  close(): Promise<void>;
}

/** Starts a provider offering `scopes`, with one client `coder` (secret `s`) that redirects to Coder's callback. */
export async function startOp(scopes: string[]): Promise<TestOp> {
  const { default: Provider } = await import("oidc-provider");
  const server = http.createServer((req, res) => provider.callback()(req, res));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, { scopes, clients: [{ client_id: "coder", client_secret: "s", redirect_uris: ["https://coder.example.com/api/v2/users/oidc/callback"] }] });
  return { issuer, close: () => new Promise((done) => server.close(() => done())) };
}
