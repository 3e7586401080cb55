/**
 * The shapes of the offline plan's answers (each IdP gives its own, idps/<idp>/offline.ts) and the made-up ids they use.
 */

/** A data-source answer the offline plan assumes, with what it assumes, for the plan to say so. */
export interface OfflineCallAnswer {
  /** What the plan assumes in place of the live answer, e.g. "realm has Keycloak's built-in scopes". */
  readonly assumption: string;
  /** The answer, from the call's inputs. */
  readonly result: (inputs: Record<string, unknown>) => Record<string, unknown>;
}

/** Outputs a provider computes for a resource, made up offline from its inputs and name. */
export type ComputedOutputs = (inputs: Record<string, unknown>, name: string) => Record<string, unknown>;

/** How an IdP answers when it cannot be reached: the offline plan's mocks. */
export interface IdpOfflineAnswers {
  /** Data-source (invoke) answers, by function token. */
  readonly calls: Record<string, OfflineCallAnswer>;
  /** Outputs the provider computes, by resource type token. */
  readonly computed: Readonly<Record<string, ComputedOutputs>>;
}

/** Twelve hex digits derived from `text`: stable made-up ids, the same on every run. */
export function fakeHex(text: string): string {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(12, "0").slice(-12);
}
