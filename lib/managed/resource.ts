import * as pulumi from "@pulumi/pulumi";
import { LEGACY_DYNAMIC_TYPE, MANAGED_MODULE } from "./tokens";

/**
 * THE contract of a managed object (an Entra or Exchange object no Pulumi provider has a resource for): all six
 * operations of a Pulumi resource provider, typed by the object's inputs `I` and stored outputs `O`.
 *
 * - `read` returns what is in the tenant now, in the shape of the outputs and (as `inputs`) of the declaration,
 *   so `pulumi refresh` shows drift field by field; `{}` (no `id`) means the object is gone.
 * - `diff` compares every declared field the service stores; `replaces` names fields the service cannot change in
 *   place.
 * - `create` must never blindly re-send a request that may have reached the service: look the object up by its
 *   unique key and adopt it (lib/managed/create-once.ts).
 * - a failure after the object exists throws `PartialFailure` with what was done, so the engine records the object.
 */
export interface ManagedProvider<I, O> {
  check(olds: Partial<I> | undefined, news: I): Promise<pulumi.dynamic.CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<{ id: string; outs: O }>;
  read(id: string, props: O): Promise<ReadResult<I, O>>;
  update(id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(id: string, props: O): Promise<void>;
}

/** `read`'s answer: the object as it is, or `{}` when it no longer exists. */
export interface ReadResult<I, O> {
  readonly id?: string;
  readonly props?: O;
  readonly inputs?: I;
}

/**
 * A failure after the object exists. Pulumi's dynamic-provider host turns an error carrying `id` and `properties`
 * into ErrorResourceInitFailed, so the engine records the object and what was done; the next `up` finishes the
 * remaining steps instead of creating a duplicate. A plain Error with fields: see lib/graph/errors.ts for why
 * providers never throw instances of Error subclasses.
 */
export interface PartialFailure<O = unknown> extends Error {
  readonly id: string;
  readonly properties: O;
  readonly reasons: string[];
}

export function partialFailure<O>(message: string, id: string, properties: O): PartialFailure<O> {
  return Object.assign(new Error(message), { name: "PartialFailure", id, properties, reasons: [message] });
}

export function isPartialFailure(err: unknown): err is PartialFailure {
  return err instanceof Error && err.name === "PartialFailure" && typeof (err as { id?: unknown }).id === "string";
}

/** One managed type: its name in the type token and its provider. */
export interface ManagedType<I, O> {
  /** e.g. `TermsOfUseAgreement` → `pulumi-nodejs:dynamic/m365-baseline:TermsOfUseAgreement`. */
  readonly typeName: string;
  readonly provider: ManagedProvider<I, O>;
}

/** Declared inputs: each field may be a Pulumi input (an output of another resource). */
export type ManagedInputs<I> = { readonly [K in keyof I]: pulumi.Input<I[K]> };

/** The key under which the dynamic-provider host keeps the serialized provider in every state. */
const PROVIDER_KEY = "__provider";

/**
 * What the SDK's dynamic-provider host runs. It wraps the typed provider so that a PartialFailure's recorded state
 * keeps the serialized provider: the host records `properties` as they are (cmd/dynamic-provider,
 * grpcResponseFromError), and a state without `__provider` could never be refreshed or destroyed afterwards.
 */
export function hostedProvider<I, O>(provider: ManagedProvider<I, O>): pulumi.dynamic.ResourceProvider {
  const keepProvider = (inputs: unknown) => (err: unknown) => {
    if (err instanceof Error && "id" in err && "properties" in err && inputs && typeof inputs === "object") {
      const code = (inputs as Record<string, unknown>)[PROVIDER_KEY];
      (err as { properties: unknown }).properties = { ...(err.properties as object), [PROVIDER_KEY]: code };
    }
    throw err;
  };
  return {
    check: (olds: Partial<I>, news: I) => provider.check(olds, news),
    diff: (id: string, olds: O, news: I) => provider.diff(id, olds, news),
    create: (inputs: I) => provider.create(inputs).catch(keepProvider(inputs)),
    read: (id: string, props: O) => provider.read(id, props),
    update: (id: string, olds: O, news: I) => provider.update(id, olds, news).catch(keepProvider(news)),
    delete: (id: string, props: O) => provider.delete(id, props),
  };
}

/**
 * Base class of every managed object's resource: registers `pulumi-nodejs:dynamic/m365-baseline:<typeName>` with
 * an alias from the generic dynamic type earlier versions used, merging (never replacing) the caller's options.
 */
export abstract class ManagedResource<I, O> extends pulumi.dynamic.Resource {
  protected constructor(type: ManagedType<I, O>, name: string, inputs: ManagedInputs<I>, opts?: pulumi.CustomResourceOptions) {
    const aliases: pulumi.Input<pulumi.Alias>[] = [{ type: LEGACY_DYNAMIC_TYPE }];
    super(hostedProvider(type.provider), name, inputs as pulumi.Inputs, pulumi.mergeOptions(opts, { aliases }), MANAGED_MODULE, type.typeName);
  }
}
