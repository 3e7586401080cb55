/**
 * Runs Pulumi code with no CLI, no engine and no credentials: Pulumi's mock runtime records every resource
 * the program declares. The offline plan and the tests both use it.
 */
import * as pulumi from "@pulumi/pulumi";
import { offlineComputedOutputs } from "../idps/registry";

/** The engine's marker for a value not known until apply (what the real engine sends during preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The marker key/value of a secret in serialized properties. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource the program declared, as the engine would have received it. */
export interface DeclaredResource {
  /** Type token, e.g. `keycloak:openid/client:Client`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Inputs as sent to the engine; secrets stay wrapped (see {@link isSecretValue}). */
  readonly inputs: Record<string, unknown>;
  /** The provider reference (`urn::id`), when one was set explicitly. */
  readonly provider?: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** The `import` option: the id of the existing resource the engine imports instead of creating one. */
  readonly importId?: string;
}

/** Whether a recorded input is a secret, as serialized by Pulumi. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A recorded input with secrets unwrapped, for assertions on what a secret holds. */
export function revealSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}





/** Mocks that record every registration and answer like the real providers would, shape-wise. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  /** Every resource registered so far, in order. */
  readonly resources: DeclaredResource[] = [];
  /** Every data-source call made so far, with the provider reference (`urn::id`) when one was set explicitly. */
  readonly calls: { token: string; inputs: Record<string, unknown>; provider?: string }[] = [];

  constructor(
    /** When true, computed outputs are unknown, as in `pulumi preview`. */
    private readonly preview: boolean,
    /** Answers for data-source calls, by token; unlisted tokens echo their inputs. */
    private readonly callResults: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {},
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const importId = args.id || undefined;
    this.resources.push({
      type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom ?? true,
      ...(importId ? { importId } : {}),
    });
    const computed = offlineComputedOutputs()[args.type]?.(args.inputs, args.name) ?? {};
    const state: Record<string, unknown> = { ...args.inputs };
    // An imported resource is read from the IdP during preview already: what it computes is known.
    const unknown = this.preview && !importId;
    for (const [key, value] of Object.entries(computed)) {
      if (state[key] === undefined) state[key] = unknown ? UNKNOWN_VALUE : value;
    }
    if (args.type.startsWith("pulumi-nodejs:dynamic") && !importId && !args.inputs.adoptClientId) {
      // A dynamic resource's outputs come from its provider's create(); unknown until then. An adopted
      // PingFederate client has none: its secret is write-only, so the stack never learns it.
      state.clientSecret = this.preview ? UNKNOWN_VALUE : `fake-secret-of-${args.name}`;
    }
    return { id: importId ?? (this.preview ? undefined : `${args.name}-id`), state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    this.calls.push({ token: args.token, inputs: args.inputs, provider: args.provider });
    return this.callResults[args.token]?.(args.inputs) ?? args.inputs;
  }

  /** The recorded resources of one type. */
  ofType(type: string): DeclaredResource[] {
    return this.resources.filter((r) => r.type === type);
  }
}

/** An Output's value as a plan shows it. */
export interface ResolvedOutput<T> {
  /** False when the value is known only after apply. */
  readonly known: boolean;
  /** Whether Pulumi treats it as a secret. */
  readonly secret: boolean;
  /** The value, when known. */
  readonly value?: T;
}

interface OutputInternals<T> {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<T>;
}

/**
 * Resolves an Output without losing what matters for a plan: known-ness and secretness. Uses Output's
 * internal promises, the same ones Pulumi's own test helpers rely on.
 */
export async function resolveOutput<T>(output: pulumi.Input<T>): Promise<ResolvedOutput<T>> {
  const internals = pulumi.output(output) as unknown as OutputInternals<T>;
  const [known, secret] = await Promise.all([internals.isKnown, internals.isSecret]);
  if (!known) return { known, secret };
  return { known, secret, value: await internals.promise() };
}

/**
 * Lets every pending registration and apply callback run: registrations that wait on other resources'
 * outputs finish a few turns of the event loop after the program returns.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Installs fresh recording mocks and stack config; call before declaring any resource. */
export async function installMocks(options: {
  /** Config values, `ns:key` → string (structured values as JSON text). */
  values: Record<string, string>;
  /** Keys whose values are secrets. */
  secretKeys?: readonly string[];
  /** Stack name. Default `test`. */
  stack?: string;
  /** Preview mode: computed outputs unknown. Default false. */
  preview?: boolean;
  /** Answers for data-source calls, by token. */
  callResults?: ConstructorParameters<typeof RecordingMocks>[1];
}): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(options.preview ?? false, options.callResults);
  await pulumi.runtime.setMocks(mocks, "coder-oidc", options.stack ?? "test", options.preview ?? false);
  pulumi.runtime.setAllConfig(options.values, [...(options.secretKeys ?? [])]);
  return mocks;
}
