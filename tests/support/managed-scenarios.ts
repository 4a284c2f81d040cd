import { DefenderIpRange, IP_RANGE_PROVIDER_VERSION } from "../../components/cloud-app-security";
import { buildNewRoomListCall } from "../../components/rooms/payload";
import { RoomAccountResource } from "../../components/rooms/account-resource";
import { RoomMailboxResource } from "../../components/rooms/mailbox-resource";
import { buildRoomMailboxPayload } from "../../components/rooms/payload";
import { RoomListResource } from "../../components/rooms/room-list-resource";
import { FakeSku, registerAccountRoutes } from "../rooms/support/account-routes";
import { SKU_PRO } from "../rooms/support/fixture";
import { registerPlacesRoutes } from "./graph-routes/places";
import { AgreementResource } from "../../components/terms-of-use/agreement-resource";
import type { Connection } from "../../lib/graph";
import { TOKENS } from "../../lib/managed/tokens";
import { localConnection } from "./connection";
import { AGREEMENTS, agreementsOf, registerAgreementRoutes } from "./graph-routes/agreements";
import { ExchangeFake, registerExchangeRoutes } from "./graph-routes/exchange";
import { registerMailCmdlets } from "./graph-routes/exchange-mail";
import { ForwardingExceptionResource } from "../../components/mail-protection/forwarding-exception-resource";
import { MCAS_API_PATH, registerMcasSubnetRoutes, StoredRange } from "./graph-routes/mcas-subnets";
import { GraphServer, startGraphServer } from "./graph-server";
import { inputsFor } from "../terms-of-use/helpers";

/** A managed type under test: its service on the local server, how to declare it, see it and disturb it. */
export interface ManagedScenario {
  readonly typeName: string;
  readonly token: string;
  readonly server: GraphServer;
  /** Registers the resource (call inside `registeredResources`). */
  declare(): void;
  /** Objects of this type the service holds now. */
  objects(): number;
  /** Forget every object and every fault not yet consumed (between matrix cells). */
  clear(): void;
  /** The object deleted outside Pulumi (in the portal). */
  deleteOutside(id: string): void;
  /** An edit made in the portal to the object with this ID. */
  drift(id: string): void;
  /** Whether read-back props show that edit. */
  showsDrift(props: Record<string, unknown>): boolean;
  /** Makes the next request of `operation` misbehave. */
  inject(operation: Operation, fault: FaultKind): void;
  stop(): Promise<void>;
}

export type Operation = "create" | "read" | "update" | "delete";
export type FaultKind = "429 Retry-After" | "503" | "connection reset" | "503 after commit" | "reset after commit";
export const OPERATIONS: readonly Operation[] = ["create", "read", "update", "delete"];
export const FAULTS: readonly FaultKind[] = ["429 Retry-After", "503", "connection reset", "503 after commit", "reset after commit"];

/** A fault as the shared server injects it; `times` covers the SDK's bounded retry of idempotent requests. */
function serverFault(fault: FaultKind): { status: number; retryAfter?: number; reset?: boolean; afterCommit?: boolean } {
  switch (fault) {
    case "429 Retry-After":
      return { status: 429, retryAfter: 0 };
    case "503":
      return { status: 503 };
    case "connection reset":
      return { status: 0, reset: true };
    case "503 after commit":
      return { status: 503, afterCommit: true };
    case "reset after commit":
      return { status: 0, reset: true, afterCommit: true };
  }
}

function stopper(server: GraphServer, restore: () => void): () => Promise<void> {
  return async () => {
    restore();
    await server.close();
  };
}

async function serverWith(connectionOverrides: Partial<Connection> = {}): Promise<{ server: GraphServer; connection: Connection; restore: () => void }> {
  const server = await startGraphServer();
  const { connection, restore } = localConnection(server, { retry: { maxRetries: 3, delaySeconds: 0 }, ...connectionOverrides });
  return { server, connection, restore };
}

export async function ipRangeScenario(): Promise<ManagedScenario> {
  const { server, connection, restore } = await serverWith();
  const ranges: Map<string, StoredRange> = registerMcasSubnetRoutes(server);
  const paths: Record<Operation, { method: string; path: RegExp }> = {
    create: { method: "POST", path: /create_rule\/?$/ },
    read: { method: "POST", path: /\/v1\/subnet\/?$/ },
    update: { method: "POST", path: /update_rule\/?$/ },
    delete: { method: "DELETE", path: /\/v1\/subnet\/[0-9a-f]+\/?$/ },
  };
  return {
    typeName: "DefenderIpRange",
    token: TOKENS.defenderIpRange,
    server,
    declare: () =>
      void new DefenderIpRange("contoso-offices", {
        connection,
        apiUrl: `${server.url}${MCAS_API_PATH}`,
        providerVersion: IP_RANGE_PROVIDER_VERSION,
        rule: { name: "Contoso offices", category: 1, subnets: ["198.51.100.16/28", "203.0.113.0/24"] },
      }),
    objects: () => ranges.size,
    clear: () => {
      ranges.clear();
      server.clearFaults();
    },
    deleteOutside: (id) => void ranges.delete(id),
    drift: (id) => ranges.set(id, { ...ranges.get(id)!, subnets: [{ originalString: "0.0.0.0/1" }] }),
    showsDrift: (props) => JSON.stringify((props.rule as { subnets: string[] }).subnets) === JSON.stringify(["0.0.0.0/1"]),
    inject: (operation, fault) => void server.failNext({ ...paths[operation], ...serverFault(fault) }),
    stop: stopper(server, restore),
  };
}

export async function roomListScenario(): Promise<ManagedScenario> {
  const { server, connection, restore } = await serverWith();
  const exchange: ExchangeFake = registerExchangeRoutes(server);
  const list = { name: "roomlist-london", address: "rooms-london@contoso.com", displayName: "London HQ" };
  const cmdlets: Record<Operation, string> = {
    create: "New-DistributionGroup",
    read: "Get-DistributionGroup",
    update: "Set-DistributionGroup",
    delete: "Remove-DistributionGroup",
  };
  return {
    typeName: "RoomList",
    token: TOKENS.roomList,
    server,
    declare: () =>
      void new RoomListResource("roomlist-london-group", {
        connection,
        exchangeUrl: server.url,
        room: list.name,
        address: list.address,
        displayName: list.displayName,
        create: buildNewRoomListCall(list),
        poll: { attempts: 5, startingDelayMs: 1 },
      }),
    objects: () => [...exchange.groups.values()].filter((g) => g.RecipientTypeDetails === "RoomList").length,
    clear: () => {
      exchange.groups.clear();
      exchange.clearFaults();
      server.clearFaults();
    },
    deleteOutside: (id) => void exchange.groups.delete(id),
    drift: (id) => void (exchange.groups.get(id)!.DisplayName = "Renamed in the admin center"),
    showsDrift: (props) => props.displayName === "Renamed in the admin center",
    inject: (operation, fault) => cmdletFault(server, exchange, cmdlets[operation], fault),
    stop: stopper(server, restore),
  };
}

export async function agreementScenario(): Promise<ManagedScenario> {
  // Terms of use are delegated-only: the administrator's device-code sign-in.
  const { server, connection, restore } = await serverWith({ credential: "deviceCode" });
  registerAgreementRoutes(server);
  const agreements = agreementsOf(server);
  const one = new RegExp(`^${AGREEMENTS}/[^/]+/?$`);
  const paths: Record<Operation, { method: string; path: RegExp | string }> = {
    create: { method: "POST", path: AGREEMENTS },
    read: { method: "GET", path: one },
    update: { method: "PATCH", path: one },
    delete: { method: "DELETE", path: one },
  };
  return {
    typeName: "TermsOfUseAgreement",
    token: TOKENS.agreement,
    server,
    declare: () => void new AgreementResource("contoso-terms", { ...inputsFor({ allowDeletion: true }, connection) }),
    objects: () => agreements.size,
    clear: () => {
      agreements.clear();
      server.clearFaults();
    },
    deleteOutside: (id) => void agreements.delete(id),
    drift: (id) => void (agreements.get(id)!.displayName = "Renamed in the portal"),
    showsDrift: (props) => props.displayName === "Renamed in the portal",
    inject: (operation, fault) => void server.failNext({ ...paths[operation], ...serverFault(fault) }),
    stop: stopper(server, restore),
  };
}

/** Exchange, Places and the Graph users and SKUs a room needs, on one local server. */
async function roomsServer(): Promise<{ server: GraphServer; connection: Connection; exchange: ExchangeFake; skus: FakeSku[]; restore: () => void }> {
  const { server, connection, restore } = await serverWith();
  const exchange = registerExchangeRoutes(server);
  registerPlacesRoutes(server);
  const skus: FakeSku[] = [{ skuId: SKU_PRO, skuPartNumber: "Microsoft_Teams_Rooms_Pro", prepaidUnits: { enabled: 5 }, consumedUnits: 0 }];
  registerAccountRoutes(server, skus);
  return { server, connection, exchange, skus, restore };
}

/** A fault on one Exchange cmdlet (throttling: the whole endpoint). */
function cmdletFault(server: GraphServer, exchange: ExchangeFake, cmdlet: string, fault: FaultKind): void {
  const f = serverFault(fault);
  if (fault === "429 Retry-After") server.failNext({ method: "POST", path: /InvokeCommand$/, ...f });
  else
    exchange.failCmdlet(cmdlet, { status: f.status || 503, exceptionType: "ServerException", message: "Injected", afterCommit: f.afterCommit, reset: f.reset });
}

export async function roomMailboxScenario(): Promise<ManagedScenario> {
  const { server, connection, exchange, restore } = await roomsServer();
  const room = {
    name: "room-london-thames",
    displayName: "London – Thames (8)",
    address: "thames@contoso.com",
    mailTip: "Book a day ahead.",
    place: { capacity: 8, building: "London HQ" },
  };
  const cmdlets: Record<Operation, string> = { create: "New-Mailbox", read: "Get-Mailbox", update: "Set-Mailbox", delete: "Remove-Mailbox" };
  return {
    typeName: "RoomMailbox",
    token: TOKENS.roomMailbox,
    server,
    declare: () =>
      void new RoomMailboxResource("room-london-thames-mailbox", {
        ...buildRoomMailboxPayload(room),
        connection,
        exchangeUrl: server.url,
        poll: { attempts: 5, startingDelayMs: 1 },
      }),
    objects: () => [...exchange.mailboxes.values()].filter((m) => m.RecipientTypeDetails === "RoomMailbox").length,
    clear: () => {
      exchange.mailboxes.clear();
      exchange.softDeleted.clear();
      server.collection("users").clear();
      server.collection("places").clear();
      exchange.clearFaults();
      server.clearFaults();
    },
    deleteOutside: () => void exchange.mailboxes.delete(room.address),
    drift: () => void (exchange.mailboxes.get(room.address)!.MailTip = "Changed in the Exchange admin center"),
    showsDrift: (props) => (props.mailbox as { MailTip: string }).MailTip === "Changed in the Exchange admin center",
    inject: (operation, fault) => cmdletFault(server, exchange, cmdlets[operation], fault),
    stop: stopper(server, restore),
  };
}

export async function roomAccountScenario(): Promise<ManagedScenario> {
  const { server, connection, exchange, skus, restore } = await roomsServer();
  const address = "boardroom@contoso.com";
  const users = server.collection<Record<string, unknown>>("users");
  const user = (): Record<string, unknown> => [...users.values()].find((u) => u.userPrincipalName === address)!;
  const paths: Record<Operation, { method: string; path: RegExp }> = {
    create: { method: "PATCH", path: /^\/v1\.0\/users\/[^/]+$/ },
    read: { method: "GET", path: /^\/v1\.0\/users\/[^/]+$/ },
    update: { method: "POST", path: /assignLicense$/ },
    delete: { method: "POST", path: /assignLicense$/ },
  };
  return {
    typeName: "RoomAccount",
    token: TOKENS.roomAccount,
    server,
    declare: () =>
      void new RoomAccountResource("room-boardroom-account", {
        connection,
        room: "room-boardroom",
        userPrincipalName: address,
        password: "Device-passw0rd-for-tests-only!",
        passwordRevision: 1,
        usageLocation: "GB",
        licences: ["Microsoft_Teams_Rooms_Pro"],
        poll: { attempts: 5, startingDelayMs: 1 },
      }),
    // The account exists with its mailbox; what this resource makes is an enabled, licensed sign-in account.
    objects: () => (user()?.accountEnabled === true ? 1 : 0),
    clear: () => {
      exchange.mailboxes.clear();
      users.clear();
      exchange.seedMailbox(address, "RoomMailbox");
      skus.forEach((sku) => (sku.consumedUnits = 0));
      server.clearFaults();
    },
    deleteOutside: (id) => void users.delete(id),
    drift: () => void (user().assignedLicenses = []),
    showsDrift: (props) => (props.licences as string[]).length === 0,
    inject: (operation, fault) => void server.failNext({ ...paths[operation], ...serverFault(fault) }),
    stop: stopper(server, restore),
  };
}

/**
 * A forwarding exception: two Exchange objects (policy, then rule) created once each. Its create is the case the
 * matrix exists for: a New- whose reply is lost after Exchange committed it must be found, never sent again.
 */
export async function forwardingExceptionScenario(): Promise<ManagedScenario> {
  const { server, connection, restore } = await serverWith();
  const exchange: ExchangeFake = registerExchangeRoutes(server);
  const mail = registerMailCmdlets(exchange);
  const identity = "m365-baseline forwarding helpdesk-ticketing";
  const cmdlets: Record<Operation, string> = {
    create: "New-HostedOutboundSpamFilterPolicy",
    read: "Get-HostedOutboundSpamFilterRule",
    update: "Set-HostedOutboundSpamFilterRule",
    delete: "Remove-HostedOutboundSpamFilterRule",
  };
  const ruleOf = () => mail.outboundRules.find((r) => r.Name.toLowerCase() === identity);
  return {
    typeName: "ExternalForwardingException",
    token: TOKENS.forwardingException,
    server,
    declare: () =>
      void new ForwardingExceptionResource("mail-protection-forwarding-helpdesk-ticketing", {
        connection,
        exchangeUrl: server.url,
        name: "helpdesk-ticketing",
        reason: "The helpdesk mailbox forwards to the outsourced ticketing provider.",
        senders: ["helpdesk@contoso.com"],
        senderGroups: [],
        autoForwardingMode: "On",
        ruleState: "Enabled",
      }),
    // One exception is one policy and its rule: a second policy or a rule without its policy is a duplicate.
    objects: () => Math.max(mail.outboundPolicies.size - 1, mail.outboundRules.length),
    clear: () => {
      for (const key of [...mail.outboundPolicies.keys()]) if (!mail.outboundPolicies.get(key)!.IsDefault) mail.outboundPolicies.delete(key);
      mail.outboundRules.splice(0);
      exchange.clearFaults();
      server.clearFaults();
    },
    deleteOutside: () => {
      mail.outboundRules.splice(0);
      mail.outboundPolicies.delete(identity);
    },
    drift: () => void (ruleOf()!.From = ["attacker@contoso.com"]),
    showsDrift: (props) => JSON.stringify(props.senders) === JSON.stringify(["attacker@contoso.com"]),
    inject: (operation, fault) => cmdletFault(server, exchange, cmdlets[operation], fault),
    stop: stopper(server, restore),
  };
}

export const SCENARIOS: readonly (() => Promise<ManagedScenario>)[] = [
  ipRangeScenario,
  roomListScenario,
  agreementScenario,
  roomMailboxScenario,
  roomAccountScenario,
  forwardingExceptionScenario,
];
/** The managed types SCENARIOS cover, in the same order (test titles are fixed before the servers start). */
export const SCENARIO_TYPES = ["DefenderIpRange", "RoomList", "TermsOfUseAgreement", "RoomMailbox", "RoomAccount", "ExternalForwardingException"] as const;
