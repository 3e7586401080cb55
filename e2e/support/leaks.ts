/**
 * Looking for secrets where they must not be: in every encoding a careless serializer would produce.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The forms of a secret a leak may take: plaintext, base64 (both alphabets), hex, URL- and JSON-escaped. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [...new Set([
    secret,
    bytes.toString("base64"),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
    bytes.toString("hex"),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ])];
}

/** The secrets (named) that appear in `text` in any of their {@link secretForms}. */
export function leakedSecrets(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => secretForms(secret).some((form) => text.includes(form)))
    .map(([name]) => name);
}

/** Every file below `dir`, read as text, with its path. */
export function readTree(dir: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...readTree(path));
    else files.push({ path, text: readFileSync(path, "latin1") });
  }
  return files;
}
