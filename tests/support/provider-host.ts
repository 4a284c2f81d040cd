import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const ROOT = path.resolve(__dirname, "..", "..");
/** The process `pulumi up` launches for dynamic resources (the SDK's own provider host). */
const HOST = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");

type Props = Record<string, unknown>;

/** A create or update that failed after the object existed: what the engine records (ErrorResourceInitFailed). */
export interface InitFailure {
  readonly id: string;
  readonly properties: Props;
  readonly reasons: readonly string[];
}

export class HostCallError extends Error {
  constructor(
    message: string,
    readonly initFailure?: InitFailure,
  ) {
    super(message);
  }
}

/**
 * Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in a separate process, driven over its gRPC
 * ResourceProvider protocol the way the engine drives it: properties as protobuf Structs carrying the serialized
 * provider under `__provider`, errors with ErrorResourceInitFailed details decoded as the engine decodes them.
 * The host runs in the project directory, like a provider started by `pulumi up`, and inherits the environment
 * (the credential variables and the test certificate).
 */
export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    private readonly log: { text: string },
  ) {}

  /** What the host wrote to stderr (it logs failed reads, diffs and deletes with their stacks). */
  get stderr(): string {
    return this.log.text;
  }

  static async start(): Promise<ProviderHost> {
    // The engine passes its own address; the host only needs one to be given.
    const child = spawn(process.execPath, [HOST, "127.0.0.1:1"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    const log = { text: "" };
    child.stderr!.on("data", (d: Buffer) => (log.text += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`provider host exited ${code}: ${log.text}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, log);
  }

  async stop(): Promise<void> {
    this.client.close();
    this.child.kill();
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const resp = await this.call<provproto.CheckResponse>((cb) => this.client.check(req, cb));
    return {
      inputs: (resp.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    id: string,
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const resp = await this.call<provproto.DiffResponse>((cb) => this.client.diff(req, cb));
    const kinds = { [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "none", [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "some" } as Record<
      number,
      "none" | "some"
    >;
    return { changes: kinds[resp.getChanges()] ?? "unknown", replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(Struct.fromJavaScript(properties as never));
    const resp = await this.call<provproto.CreateResponse>((cb) => this.client.create(req, cb));
    return { id: resp.getId(), properties: (resp.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async read(id: string, urn: string, properties: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(Struct.fromJavaScript(properties as never));
    const resp = await this.call<provproto.ReadResponse>((cb) => this.client.read(req, cb));
    return {
      id: resp.getId(),
      properties: (resp.getProperties()?.toJavaScript() ?? {}) as Props,
      inputs: resp.getInputs()?.toJavaScript() as Props | undefined,
    };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(Struct.fromJavaScript(olds as never));
    req.setNews(Struct.fromJavaScript(news as never));
    const resp = await this.call<provproto.UpdateResponse>((cb) => this.client.update(req, cb));
    return { properties: (resp.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async delete(id: string, urn: string, properties: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(Struct.fromJavaScript(properties as never));
    await this.call((cb) => this.client.delete(req, cb));
  }

  private call<T>(start: (cb: (err: grpc.ServiceError | null, resp: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      start((err, resp) => {
        if (err) reject(new HostCallError(err.details || err.message, initFailureOf(err)));
        else resolve(resp);
      });
    });
  }
}

/** The engine reads ErrorResourceInitFailed from the `grpc-status-details-bin` trailer; so does this. */
function initFailureOf(err: grpc.ServiceError): InitFailure | undefined {
  const raw = err.metadata?.get("grpc-status-details-bin")[0];
  if (!raw) return undefined;
  const status = statusproto.Status.deserializeBinary(raw as Buffer);
  for (const detail of status.getDetailsList()) {
    if (!detail.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const failed = provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    return { id: failed.getId(), properties: (failed.getProperties()?.toJavaScript() ?? {}) as Props, reasons: failed.getReasonsList() };
  }
  return undefined;
}

/** A resource as the engine would send it: the program's registered inputs, `__provider` included. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Props;
}

/**
 * Runs `declare` under Pulumi's mock runtime (no plan recorder: providers are serialized for real, as under
 * `pulumi up`) and returns what each custom resource registered, serialized provider included.
 */
export async function registeredResources(declare: () => void, stack = "provider-host"): Promise<Registered[]> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({
          type: args.type,
          name: args.name,
          urn: `urn:pulumi:${stack}::m365-baseline::${args.type}::${args.name}`,
          inputs: args.inputs as Props,
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "m365-baseline",
    stack,
    false,
  );
  declare();
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return registered;
}
