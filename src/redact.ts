/**
 * Credentials masked out of a text: the one redaction every error and message passes through (the PingFederate
 * client's errors, and through src/safe-text every command's output).
 *
 * No imports: the PingFederate dynamic provider, which Pulumi serializes into state and runs in a plain Node.js
 * host, captures these functions by value.
 */

/**
 * Every form in which a secret may come back in an answer (a proxy's or server's echo): as it is, URL-encoded,
 * JSON-escaped, and base64 / base64url encoded.
 */
function secretForms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString("base64");
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), b64, b64.replace(/=+$/, ""),
    Buffer.from(secret).toString("base64url")])];
}

/**
 * Replaces every occurrence of each secret in `text`, in every form of {@link secretForms}, and every
 * `Authorization` credential (`Basic …`, `Bearer …`), with `[redacted]`. A secret shorter than 4 characters is
 * replaced where it stands on its own (between non-alphanumerics), so that it is caught without shredding words.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text
    .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[^\s"',;]+/gi, "$1$2 [redacted]")
    .replace(/\b(Basic|Bearer)\s+(?=[A-Za-z0-9+/=._~-]*[0-9+/=._~-])[A-Za-z0-9+/=._~-]{8,}/g, "$1 [redacted]");
  const forms = secrets.filter((s) => s.length > 0).flatMap(secretForms).sort((a, b) => b.length - a.length);
  for (const form of forms) {
    if (form.length >= 4) result = result.split(form).join("[redacted]");
    else result = result.replace(new RegExp(`(^|[^A-Za-z0-9])${form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=$|[^A-Za-z0-9])`, "g"), "$1[redacted]");
  }
  return result;
}
