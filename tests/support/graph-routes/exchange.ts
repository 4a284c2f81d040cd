import { randomUUID } from "node:crypto";
import type { GraphResponse, GraphServer } from "../graph-server";

/**
 * The Exchange Online admin endpoint on the local server: `POST /adminapi/beta/{tenant}/InvokeCommand` with
 * `{"CmdletInput":{"CmdletName","Parameters"}}` (shape as called by CIPP and ExoHelper). Only the cmdlets and
 * parameters below are known, as a tenant's RBAC scope would expose them; anything else fails the way Exchange
 * fails (`CommandNotFoundException`, `ParameterBindingException`). State is kept; replication lag and per-cmdlet
 * faults on demand. Throttling of the whole endpoint uses the shared `server.failNext` on the InvokeCommand path.
 *
 * Error body (an assumption from public callers; Microsoft documents none): `error.message` and
 * `error.details[].message` read `|<exception type>|<text>`. Not-found answers 404, other cmdlet errors 400.
 */

export type ParamType = "string" | "bool" | "int" | "switch" | "strings";

/**
 * Cmdlets an area adds to the fake (mail protection's, e.g.): the parameters Exchange would bind, with their types,
 * and what the cmdlet does. `run` throws `ExchangeFailure` for the errors Exchange answers with.
 */
export interface CmdletHandler {
  readonly params: Readonly<Record<string, ParamType>>;
  run(parameters: Record<string, unknown>): unknown[];
}
const KNOWN: Record<string, Record<string, ParamType>> = {
  "Get-Mailbox": { Identity: "string" },
  "New-Mailbox": { Name: "string", Alias: "string", DisplayName: "string", PrimarySmtpAddress: "string", Room: "switch" },
  "Set-Mailbox": { Identity: "string", DisplayName: "string", Alias: "string", MailTip: "string" },
  "Remove-Mailbox": { Identity: "string", PermanentlyDelete: "switch", Confirm: "bool" },
  "Get-CalendarProcessing": { Identity: "string" },
  "Set-CalendarProcessing": {
    Identity: "string",
    AutomateProcessing: "string",
    AddOrganizerToSubject: "bool",
    DeleteComments: "bool",
    DeleteSubject: "bool",
    RemovePrivateProperty: "bool",
    ProcessExternalMeetingMessages: "bool",
    BookingWindowInDays: "int",
    MaximumDurationInMinutes: "int",
    AddAdditionalResponse: "bool",
    AdditionalResponse: "string",
  },
  "Get-DistributionGroup": { Identity: "string" },
  "New-DistributionGroup": { Name: "string", DisplayName: "string", PrimarySmtpAddress: "string", RoomList: "switch" },
  "Set-DistributionGroup": { Identity: "string", DisplayName: "string", BypassSecurityGroupManagerCheck: "switch" },
  "Remove-DistributionGroup": { Identity: "string", BypassSecurityGroupManagerCheck: "switch", Confirm: "bool" },
  "Add-DistributionGroupMember": { Identity: "string", Member: "string", BypassSecurityGroupManagerCheck: "switch" },
  "Remove-DistributionGroupMember": { Identity: "string", Member: "string", BypassSecurityGroupManagerCheck: "switch", Confirm: "bool" },
  "Get-DistributionGroupMember": { Identity: "string" },
};

export interface FakeMailbox {
  Identity: string;
  Alias: string;
  DisplayName: string;
  PrimarySmtpAddress: string;
  RecipientTypeDetails: "RoomMailbox" | "UserMailbox";
  ExternalDirectoryObjectId: string;
  MailTip: string;
  calendar: Record<string, unknown>;
  /** Lookups left before replication lets this object be seen. */
  hiddenFor: number;
}

export interface FakeGroup {
  Identity: string;
  DisplayName: string;
  PrimarySmtpAddress: string;
  RecipientTypeDetails: "RoomList" | "MailUniversalDistributionGroup";
  members: Set<string>;
  hiddenFor: number;
}

export interface CmdletFault {
  readonly status: number;
  readonly exceptionType: string;
  readonly message: string;
  /** @default 1 */
  readonly times?: number;
  /** The cmdlet runs (the object is created, changed or removed), then this error is what the client gets. */
  readonly afterCommit?: boolean;
  /** No answer: the connection is reset (with `afterCommit`, after the cmdlet ran). */
  readonly reset?: boolean;
}

export interface RecordedCmdlet {
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly anchor: string | undefined;
  readonly status: number;
}

export class ExchangeFake {
  readonly mailboxes = new Map<string, FakeMailbox>();
  readonly softDeleted = new Map<string, FakeMailbox>();
  readonly groups = new Map<string, FakeGroup>();
  readonly calls: RecordedCmdlet[] = [];
  /** Each object created from now on stays invisible for this many lookups. */
  replicationLag = 0;
  private readonly faults = new Map<string, { fault: CmdletFault; remaining: number }[]>();
  private readonly handlers = new Map<string, CmdletHandler>();

  constructor(private readonly server: GraphServer) {}

  /** Adds cmdlets (an area's own route module calls this); faults and the parameter check apply to them as to any. */
  register(cmdlets: Readonly<Record<string, CmdletHandler>>): void {
    for (const [name, handler] of Object.entries(cmdlets)) this.handlers.set(name, handler);
  }

  /** Drops every cmdlet fault not yet consumed. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** The next `times` calls of `cmdlet` fail with this Exchange error. */
  failCmdlet(cmdlet: string, fault: CmdletFault): void {
    const list = this.faults.get(cmdlet) ?? [];
    list.push({ fault, remaining: fault.times ?? 1 });
    this.faults.set(cmdlet, list);
  }

  callsOf(cmdlet: string): RecordedCmdlet[] {
    return this.calls.filter((c) => c.cmdlet === cmdlet && c.status < 300);
  }

  /** A mailbox made outside m365-baseline (e.g. a user's), to prove it is never taken over. */
  seedMailbox(address: string, type: FakeMailbox["RecipientTypeDetails"]): FakeMailbox {
    return this.addMailbox({ Alias: address.split("@")[0], DisplayName: address, PrimarySmtpAddress: address }, type, 0);
  }

  handle(body: unknown, anchor: string | undefined): GraphResponse {
    const input = (body as { CmdletInput?: { CmdletName?: string; Parameters?: Record<string, unknown> } } | undefined)?.CmdletInput;
    const cmdlet = input?.CmdletName ?? "";
    const parameters = input?.Parameters ?? {};
    const answer = this.run(cmdlet, parameters);
    this.calls.push({ cmdlet, parameters, anchor, status: answer.status });
    return answer;
  }

  private run(cmdlet: string, p: Record<string, unknown>): GraphResponse {
    const spec = KNOWN[cmdlet] ?? this.handlers.get(cmdlet)?.params;
    if (!spec)
      return exchangeError(
        400,
        "CommandNotFoundException",
        `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
      );
    for (const [name, value] of Object.entries(p)) {
      const type = spec[name];
      if (!type) return exchangeError(400, "ParameterBindingException", `A parameter cannot be found that matches parameter name '${name}'.`);
      const ok =
        type === "string"
          ? typeof value === "string"
          : type === "strings"
            ? value === null || (Array.isArray(value) && value.every((v) => typeof v === "string"))
            : type === "int"
              ? Number.isInteger(value)
              : typeof value === "boolean";
      if (!ok)
        return exchangeError(400, "ParameterBindingException", `Cannot bind parameter '${name}'. Cannot convert value "${String(value)}" to type "${type}".`);
    }
    const queued = this.faults.get(cmdlet)?.find((f) => f.remaining > 0);
    if (queued) queued.remaining -= 1;
    const fault = queued?.fault;
    const faultAnswer = (): GraphResponse => (fault!.reset ? { status: 0, reset: true } : exchangeError(fault!.status, fault!.exceptionType, fault!.message));
    if (fault && !fault.afterCommit) return faultAnswer();
    let answer: GraphResponse;
    try {
      answer = { status: 200, body: { "@odata.context": "InvokeCommand", value: this.execute(cmdlet, p) } };
    } catch (err) {
      if (!(err instanceof ExchangeFailure)) throw err;
      answer = exchangeError(err.status, err.exceptionType, err.message);
    }
    return fault ? faultAnswer() : answer;
  }

  private execute(cmdlet: string, p: Record<string, unknown>): unknown[] {
    const handler = this.handlers.get(cmdlet);
    if (handler) return handler.run(p);
    const id = String(p.Identity ?? "").toLowerCase();
    switch (cmdlet) {
      case "Get-Mailbox":
        return [view(this.mailbox(id))];
      case "New-Mailbox": {
        const address = String(p.PrimarySmtpAddress).toLowerCase();
        if (this.mailboxes.has(address) || this.groups.has(address)) {
          throw new ExchangeFailure(
            400,
            "ProxyAddressExistsException",
            `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN.`,
          );
        }
        if (p.Room !== true) throw new ExchangeFailure(400, "RecipientTaskException", "Only room mailboxes can be created here.");
        return [
          view(
            this.addMailbox({ Alias: String(p.Alias), DisplayName: String(p.DisplayName), PrimarySmtpAddress: address }, "RoomMailbox", this.replicationLag),
          ),
        ];
      }
      case "Set-Mailbox": {
        const m = this.mailbox(id);
        if (typeof p.DisplayName === "string") m.DisplayName = p.DisplayName;
        if (typeof p.Alias === "string") m.Alias = p.Alias;
        if (typeof p.MailTip === "string") m.MailTip = p.MailTip;
        return [];
      }
      case "Remove-Mailbox": {
        const m = this.mailbox(id);
        this.mailboxes.delete(id);
        for (const g of this.groups.values()) g.members.delete(id);
        if (p.PermanentlyDelete !== true) this.softDeleted.set(id, m);
        this.server.collection<Record<string, unknown>>("users").delete(m.ExternalDirectoryObjectId);
        this.server.collection<Record<string, unknown>>("places").delete(id);
        return [];
      }
      case "Get-CalendarProcessing":
        return [{ Identity: id, ...this.mailbox(id).calendar }];
      case "Set-CalendarProcessing": {
        const m = this.mailbox(id);
        const window = p.BookingWindowInDays;
        if (typeof window === "number" && (window < 0 || window > 1080)) {
          throw new ExchangeFailure(
            400,
            "ParameterBindingValidationException",
            `Cannot validate argument on parameter 'BookingWindowInDays'. The ${window} argument is greater than the maximum allowed range of 1080.`,
          );
        }
        const { Identity: _identity, ...settings } = p;
        void _identity;
        m.calendar = { ...m.calendar, ...settings };
        return [];
      }
      case "Get-DistributionGroup":
        return [groupView(this.group(id))];
      case "New-DistributionGroup": {
        const address = String(p.PrimarySmtpAddress).toLowerCase();
        if (this.mailboxes.has(address) || this.groups.has(address)) {
          throw new ExchangeFailure(
            400,
            "ProxyAddressExistsException",
            `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN.`,
          );
        }
        const g: FakeGroup = {
          Identity: String(p.Name),
          DisplayName: String(p.DisplayName),
          PrimarySmtpAddress: address,
          RecipientTypeDetails: p.RoomList === true ? "RoomList" : "MailUniversalDistributionGroup",
          members: new Set(),
          hiddenFor: this.replicationLag,
        };
        this.groups.set(address, g);
        return [groupView(g)];
      }
      case "Set-DistributionGroup": {
        const g = this.group(id);
        if (typeof p.DisplayName === "string") g.DisplayName = p.DisplayName;
        return [];
      }
      case "Remove-DistributionGroup":
        this.group(id);
        this.groups.delete(id);
        return [];
      case "Add-DistributionGroupMember": {
        const g = this.group(id);
        const member = this.mailbox(String(p.Member).toLowerCase());
        const key = member.PrimarySmtpAddress;
        if (g.members.has(key))
          throw new ExchangeFailure(400, "MemberAlreadyExistsException", `The recipient "${key}" is already a member of the group "${g.PrimarySmtpAddress}".`);
        g.members.add(key);
        return [];
      }
      case "Remove-DistributionGroupMember": {
        const g = this.group(id);
        const key = String(p.Member).toLowerCase();
        if (!g.members.has(key))
          throw new ExchangeFailure(400, "MemberNotFoundException", `The recipient "${key}" isn't a member of the group "${g.PrimarySmtpAddress}".`);
        g.members.delete(key);
        return [];
      }
      case "Get-DistributionGroupMember":
        return [...this.group(id).members].sort().map((m) => ({ PrimarySmtpAddress: m }));
    }
    throw new Error(`cmdlet ${cmdlet} is listed as known but not implemented`);
  }

  private addMailbox(
    fields: Pick<FakeMailbox, "Alias" | "DisplayName" | "PrimarySmtpAddress">,
    type: FakeMailbox["RecipientTypeDetails"],
    hiddenFor: number,
  ): FakeMailbox {
    const m: FakeMailbox = {
      ...fields,
      Identity: fields.Alias,
      RecipientTypeDetails: type,
      ExternalDirectoryObjectId: randomUUID(),
      MailTip: "",
      calendar: { AutomateProcessing: "AutoAccept", BookingWindowInDays: 180, MaximumDurationInMinutes: 1440 },
      hiddenFor,
    };
    this.mailboxes.set(fields.PrimarySmtpAddress, m);
    // Exchange creates the room's Entra account (disabled) and Places learns of the room.
    this.server.collection<Record<string, unknown>>("users").set(m.ExternalDirectoryObjectId, {
      id: m.ExternalDirectoryObjectId,
      userPrincipalName: m.PrimarySmtpAddress,
      displayName: m.DisplayName,
      accountEnabled: false,
      assignedLicenses: [],
    });
    if (type === "RoomMailbox") {
      this.server.collection<Record<string, unknown>>("places").set(m.PrimarySmtpAddress, {
        "@odata.type": "#microsoft.graph.room",
        id: randomUUID(),
        displayName: m.DisplayName,
        emailAddress: m.PrimarySmtpAddress,
        nickname: m.DisplayName,
        tags: [],
      });
    }
    return m;
  }

  private mailbox(identity: string): FakeMailbox {
    const m =
      this.mailboxes.get(identity) ?? [...this.mailboxes.values()].find((x) => x.Alias.toLowerCase() === identity || x.ExternalDirectoryObjectId === identity);
    return visible(m, identity);
  }

  private group(identity: string): FakeGroup {
    return visible(this.groups.get(identity), identity);
  }
}

function visible<T extends { hiddenFor: number }>(object: T | undefined, identity: string): T {
  if (!object || object.hiddenFor > 0) {
    if (object) object.hiddenFor -= 1;
    throw new ExchangeFailure(
      404,
      "ManagementObjectNotFoundException",
      `The operation couldn't be performed because object '${identity}' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'.`,
    );
  }
  return object;
}

/** An error Exchange answers with: `|<exception type>|<text>` and the status. */
export class ExchangeFailure extends Error {
  constructor(
    readonly status: number,
    readonly exceptionType: string,
    message: string,
  ) {
    super(message);
  }
}

function view(m: FakeMailbox): Record<string, unknown> {
  const { calendar: _calendar, hiddenFor: _hidden, ...rest } = m;
  void _calendar;
  void _hidden;
  return rest;
}

function groupView(g: FakeGroup): Record<string, unknown> {
  return { Identity: g.Identity, DisplayName: g.DisplayName, PrimarySmtpAddress: g.PrimarySmtpAddress, RecipientTypeDetails: g.RecipientTypeDetails };
}

export function exchangeError(status: number, exceptionType: string, text: string): GraphResponse {
  const id = randomUUID().slice(0, 8).toUpperCase();
  const qualified = `Microsoft.Exchange.Management.Tasks.${exceptionType}`;
  return {
    status,
    body: {
      error: {
        code: status === 404 ? "NotFound" : status === 429 ? "TooManyRequests" : "BadRequest",
        message: `|${qualified}|${text}`,
        details: [{ code: "Context", target: "", message: `Ex${id}|${qualified}|${text}` }],
        innererror: { message: text, type: qualified },
      },
    },
  };
}

/** Registers InvokeCommand on the local server and returns the fake behind it. */
export function registerExchangeRoutes(server: GraphServer): ExchangeFake {
  const fake = new ExchangeFake(server);
  // Tokens for Exchange Online (outlook.office365.com), app-only: the calls are made as the app
  // (Exchange.ManageAsApp, the "APP:" anchor mailbox), as the ExchangeOnlineManagement module does for app-only
  // authentication (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2).
  server.requireTokenFor(/^\/adminapi\//, {
    audience: "https://outlook.office365.com",
    kind: "app",
    refusalCode: "Forbidden",
    refusal: "|UnAuthorizedAccessException|The APP: anchor needs an app-only token.",
  });
  server.route("POST", "/adminapi/beta/:tenant/InvokeCommand", (req) => {
    const anchor = req.headers["x-anchormailbox"];
    return fake.handle(req.body, Array.isArray(anchor) ? anchor[0] : anchor);
  });
  return fake;
}
