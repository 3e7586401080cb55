/**
 * Process-wide state of the admin API client (configured credentials, server versions) kept on `globalThis` under
 * registered symbols, which Pulumi's closure serializer never captures: nothing set here can end up in the
 * serialized provider or the state file.
 */

/** A process-wide slot on globalThis, by its registered name (never enumerated, never serialized). */
export function globalSlot<T>(name: string): { get(): T | undefined; set(value: T | undefined): void } {
  const key = Symbol.for(name);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return { get: () => holder[key], set: (value) => { holder[key] = value; } };
}
