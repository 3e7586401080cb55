/** Tokens as Coder stores them: encrypted the way Coder's `enterprise/dbcrypt` does, and Keycloak's refresh tokens. */
import { createCipheriv, randomBytes } from "node:crypto";

/** Encrypts as Coder's dbcrypt does: AES-256-GCM, a random 12-byte nonce, base64(nonce ‖ ciphertext ‖ tag). */
export function dbcryptEncrypt(plaintext: string, key: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64");
}

/** A JWT as Keycloak issues refresh tokens (signature not checked by anyone here). */
export function keycloakRefreshToken(typ: "Offline" | "Refresh", exp?: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "HS512", typ: "JWT" })}.${part({ typ, ...(exp === undefined ? {} : { exp }), sub: "bob" })}.${randomBytes(32).toString("base64url")}`;
}
