import * as pulumi from "@pulumi/pulumi";

export interface MockedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** URNs this resource was registered as depending on (dependsOn and parent-less input dependencies). */
  readonly dependencies: readonly string[];
  /** Output names the resource asked the engine to keep secret. */
  readonly additionalSecretOutputs: readonly string[];
  /** Whether the engine should leave the real object in place when the resource is deleted. */
  readonly retainOnDelete: boolean;
  /** URN of the parent the resource was registered under ("" for the stack). */
  readonly parent: string;
  /** Alias specs as sent to the engine: where the resource used to be. */
  readonly aliases: readonly AliasSpec[];
  urn?: string;
}

/** One alias as the engine receives it (proto `Alias.Spec`); empty strings mean "same as now". */
export interface AliasSpec {
  readonly name: string;
  readonly type: string;
  readonly parentUrn: string;
  readonly noParent: boolean;
}

type AliasMessage = {
  getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
};

/**
 * Installs Pulumi mocks that record every registration (type, name, inputs, dependencies) in `resources`.
 * Call from `before()`/`beforeEach()`: with several spec files, mocks set at load time would be overwritten.
 */
export async function startMocks(
  stack = "test-tenant",
  /** What the service would answer besides the inputs (outputs it computes), by resource type. @default none */
  outputsOf: (type: string, name: string) => Record<string, unknown> = () => ({}),
): Promise<{ resources: MockedResource[]; settle: () => Promise<void> }> {
  const resources: MockedResource[] = [];
  let pending = { dependencies: [] as string[], additionalSecretOutputs: [] as string[], retainOnDelete: false, parent: "", aliases: [] as AliasSpec[] };
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, ...pending });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...outputsOf(args.type, args.name) } };
      },
      call: (args) => args.inputs,
    },
    "m365-baseline",
    stack,
    true,
  );
  // The mock monitor calls newResource synchronously inside registerResource; note what only the request carries first.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(
      req: {
        getDependenciesList(): string[];
        getAdditionalsecretoutputsList(): string[];
        getRetainondelete(): boolean | undefined;
        getParent(): string;
        getAliasesList(): AliasMessage[];
      },
      cb: (err: unknown, res?: { getUrn(): string }) => void,
    ): Promise<void>;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    pending = {
      dependencies: req.getDependenciesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      retainOnDelete: req.getRetainondelete() === true,
      parent: req.getParent(),
      aliases: req.getAliasesList().flatMap((alias) => {
        const spec = alias.getSpec();
        return spec ? [{ name: spec.getName(), type: spec.getType(), parentUrn: spec.getParenturn(), noParent: spec.getNoparent() }] : [];
      }),
    };
    let index = -1;
    const done = original(req, (err, res) => {
      if (res && index >= 0) resources[index].urn = res.getUrn();
      cb(err, res);
    });
    index = resources.length - 1;
    return done;
  };
  // `waitForRPCs` drains the runtime's registration queue; exported by @pulumi/pulumi but not in its typings.
  const settle = (): Promise<void> => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return { resources, settle };
}

/** An Output's value under mocks (tests only: real previews may leave it unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
