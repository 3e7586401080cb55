/**
 * Identifiers that end up in an IdP's URLs or admin API paths (a realm, a client id, a project), checked the
 * same way wherever they are read (`coder-oidc:*` and the provider namespaces).
 */

/**
 * Whether `text` can stand in a URL path as it is: 1 to `max` printable ASCII characters, none of which a path
 * treats specially (`/ \ ? # %`), no spaces, not `.` or `..`.
 */
export function isPathSafeId(text: string, max = 255): boolean {
  return text.length >= 1 && text.length <= max && /^[\x21-\x7e]+$/.test(text) && !/[/\\?#%]/.test(text) &&
    text !== "." && text !== "..";
}

/** {@link isPathSafeId}'s rule, for messages. */
export const PATH_SAFE_ID_RULE = "1 to 255 printable ASCII characters without spaces or any of / \\ ? # %";

