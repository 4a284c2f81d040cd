import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { structuredConfigValue } from "../stack-config";
import { locateProgram, runProgram } from "./program";

/** One declared resource, as `plan --json` writes it. */
export interface PlannedResource {
  readonly urn: string;
  /** Pulumi type token, e.g. `azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy`. */
  readonly type: string;
  readonly name: string;
  /** URN of the parent component, or null for the stack's direct children. */
  readonly parent: string | null;
  /** Inputs exactly as registered, keys sorted, secrets replaced by SECRET_MARKER. */
  readonly inputs: Record<string, unknown>;
  /** ID of the existing object the first `up` adopts (Pulumi's `import` option), when the stack adopts one. */
  readonly adopts?: string;
}

export interface Plan {
  readonly stack: string;
  readonly project: string;
  readonly resources: readonly PlannedResource[];
}

/** What stands in for every secret value in plans, diffs and logs. */
export const SECRET_MARKER = "[secret]";
/** What stands in for a value only the real deployment will know (an ID, a generated value). */
export const UNKNOWN_MARKER = "(known after apply)";
/** The mock runtime's encoding of an unknown value. */
const UNKNOWN_KEY = "__pulumiUnknown";
/**
 * Outputs that providers generate as secrets. Offline they are unknown, and the mock runtime drops the secret flag
 * on unknowns, so a consumer would show "(known after apply)" where a reviewer must read "[secret]".
 */
const GENERATED_SECRET_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
};
/** Pulumi's wire signature for a secret value (sdk/nodejs/runtime/rpc.ts, `specialSigKey` / `specialSecretSig`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/**
 * The ID every resource gets under the mocks. Deterministic, so a resource referencing another (a policy naming a
 * named location or an agreement) records the same value in every plan, and describers can map it back to a name.
 */
export function mockId(logicalName: string): string {
  return `${logicalName}-id`;
}

/** Inputs that are machinery, not declaration: the dynamic provider's serialized code. */
const MACHINERY_INPUTS = new Set(["__provider"]);

export interface RecordOptions {
  /** The project's root (where Pulumi.yaml and Pulumi.<stack>.yaml live). */
  readonly root: string;
  readonly stack: string;
  /** Declares the program's resources; defaults to the project's Pulumi program (Pulumi.yaml `main`, see program.ts). */
  readonly program?: (stack: string) => void;
  /** Stack config to use instead of reading `Pulumi.<stack>.yaml`. */
  readonly config?: Record<string, unknown>;
}

/**
 * Runs the stack's real Pulumi program under the Pulumi mock runtime (no CLI, no credentials, no network) and
 * records every resource it declares. Throws the program's own error (e.g. a validation error) if it fails.
 */
export async function recordPlan(options: RecordOptions): Promise<Plan> {
  const project = readProjectName(options.root);
  const config = options.config ?? readStackConfig(options.root, options.stack);
  const records: PlannedResource[] = [];
  let currentParent: string | null = null;

  const secretKeys = Object.keys(config).filter((k) => containsEncrypted(config[k]));
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(withoutCiphertext(v))])),
    secretKeys,
  );
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        records.push({
          urn: "",
          type: args.type,
          name: args.name,
          parent: currentParent,
          inputs: sanitize(args.inputs) as Record<string, unknown>,
          // The mock monitor passes the `import` option's ID as `id`.
          ...(args.id ? { adopts: args.id } : {}),
        });
        const generated = Object.fromEntries((GENERATED_SECRET_OUTPUTS[args.type] ?? []).map((k) => [k, SECRET_MARKER]));
        return { id: mockId(args.name), state: { ...args.inputs, ...generated } };
      },
      call: (args) => args.inputs,
    },
    project,
    options.stack,
    true,
  );
  capturePlacement(
    (parent) => (currentParent = parent || null),
    (index, urn) => ((records[index] as { urn: string }).urn = urn),
    () => records.length - 1,
  );

  const restoreSerialization = skipProviderSerialization();
  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => void failures.push(reason);
  process.on("unhandledRejection", onRejection);
  // Pulumi runs a program in its project directory; relative paths in it (PDFs, for one) mean the same here.
  const cwd = process.cwd();
  try {
    process.chdir(options.root);
    const program = options.program ?? (() => runProgram(locateProgram(options.root), options.root));
    program(options.stack);
    await waitForRegistrations();
  } finally {
    process.chdir(cwd);
    process.off("unhandledRejection", onRejection);
    restoreSerialization();
  }
  if (failures.length > 0) throw failures[0];

  const resources = records.map((r) => ({ ...r })).sort((a, b) => a.urn.localeCompare(b.urn));
  return { stack: options.stack, project, resources };
}

/**
 * The mock runtime hides each resource's parent and URN from `newResource`; wrap the mock monitor's
 * `registerResource`, which calls `newResource` synchronously, to note both around that call.
 */
function capturePlacement(setParent: (parent: string) => void, setUrn: (index: number, urn: string) => void, lastIndex: () => number): void {
  type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;
  // The monitor is the mock runtime's MockMonitor; its request type is an untyped gRPC message.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: { getParent(): string }, cb: Callback): Promise<void>;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    setParent(req.getParent());
    let index = -1;
    const promise = original(req, (err, response) => {
      if (!err && response) setUrn(index, response.getUrn());
      cb(err, response);
    });
    index = lastIndex(); // newResource ran synchronously inside `original`
    return promise;
  };
}

/**
 * A dynamic resource's inputs carry its provider as code (`__provider`), which the SDK produces by closure
 * serialization: loading the TypeScript compiler and walking every module the provider reaches, most of a plan's
 * time. A plan drops `__provider` (MACHINERY_INPUTS) and no engine ever runs it, so while recording, the SDK's
 * serializer module is replaced by one that returns a marker, and the SDK's per-provider cache is switched off so
 * the marker is never reused by a real deployment in the same process. That the providers do serialize and run is
 * proven separately, through Pulumi's own provider host (tests/managed/).
 */
function skipProviderSerialization(): () => void {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const serializerFile = require.resolve(path.join(pulumiDir, "runtime", "closure", "serializeClosure"));
  const previous = require.cache[serializerFile];
  const stub = new Module(serializerFile);
  stub.filename = serializerFile;
  stub.loaded = true;
  stub.exports = { serializeFunction: async () => ({ text: OFFLINE_PROVIDER, exportName: "handler", containsSecrets: false }) };
  require.cache[serializerFile] = stub;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's runtime state module, not exported by its index
  const state = require(path.join(pulumiDir, "runtime", "state")) as { getStore(): { settings: { options: { cacheDynamicProviders?: boolean } } } };
  const options = state.getStore().settings.options;
  const caching = options.cacheDynamicProviders;
  options.cacheDynamicProviders = false;
  return () => {
    options.cacheDynamicProviders = caching;
    if (previous) require.cache[serializerFile] = previous;
    else delete require.cache[serializerFile];
  };
}

/** What stands in for a dynamic provider's code in an offline plan (never recorded: `__provider` is machinery). */
const OFFLINE_PROVIDER = "offline plan: dynamic providers are not serialized";

async function waitForRegistrations(): Promise<void> {
  // `waitForRPCs` is the runtime's own "drain the RPC queue" (used by `disconnect`); it is exported but not typed.
  const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
  await runtime.waitForRPCs();
}

/** Sorts keys, replaces secrets, drops machinery: the same declaration always yields the same JSON. */
export function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return SECRET_MARKER;
    if (o[UNKNOWN_KEY] === true) return UNKNOWN_MARKER;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => !MACHINERY_INPUTS.has(k) && o[k] !== undefined)
        .sort()
        .map((k) => [k, sanitize(o[k])]),
    );
  }
  return value;
}

/** `secure:` values are ciphertext only the Pulumi CLI can decrypt; offline they are the secret marker. */
function withoutCiphertext(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCiphertext);
  if (value && typeof value === "object") {
    if (isEncrypted(value)) return SECRET_MARKER;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutCiphertext(v)]));
  }
  return value;
}

function isEncrypted(value: object): boolean {
  return Object.keys(value).length === 1 && "secure" in value;
}

function containsEncrypted(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsEncrypted);
  if (value && typeof value === "object") return isEncrypted(value) || Object.values(value).some(containsEncrypted);
  return false;
}

function readProjectName(root: string): string {
  const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: string };
  return project.name ?? "project";
}

/** Reads `config:` from Pulumi.<stack>.yaml. Encrypted values (`secure:`) cannot be read offline and become secrets. */
export function readStackConfig(root: string, stack: string): Record<string, unknown> {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs
      .readdirSync(root)
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
      .map((f) => f.slice(7, -5));
    throw new Error(`no stack file ${path.basename(file)} in ${root}; stacks with a settings file: ${known.sort().join(", ") || "none"}`);
  }
  let doc: { config?: Record<string, unknown> };
  try {
    doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  } catch (err) {
    const where = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new Error(
      `${path.basename(file)}${where ? ` line ${where.line}, column ${where.col}` : ""}: not valid YAML: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  const config = doc.config ?? {};
  // The Pulumi CLI stores structured values set with `pulumi config set` as JSON strings: read them as objects.
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, structuredConfigValue(v)]));
}
