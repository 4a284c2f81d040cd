import type * as pulumi from "@pulumi/pulumi";
import { Connection, createGraphClient, describeGraphError, remoteCallError } from "../../lib/graph";
import { ManagedProvider, ManagedType, ReadResult } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { exchangeCallError, ExchangeTarget, invokeCmdlet, isExchangeError, isNotFound } from "../../lib/exchange/client";
import {
  buildNewMailboxCall,
  CmdletCall,
  buildSetCalendarCall,
  buildSetMailboxCall,
  changedGroups,
  MailboxSettings,
  RoomMailboxPayload,
  same,
} from "./payload";
import { PollSettings, untilVisible } from "../../lib/managed/poll";

/** Inputs of the room-mailbox dynamic resource: plain data only (it is serialized into state and plans). */
export interface RoomMailboxInputs extends RoomMailboxPayload {
  readonly connection: Connection;
  /** Overrides the Exchange Online root (tests). */
  readonly exchangeUrl?: string;
  /** Replication-lag polling. @default DEFAULT_POLL */
  readonly poll?: PollSettings;
}

export interface RoomMailboxOutputs extends RoomMailboxInputs {
  /** Entra object ID of the room's account (`ExternalDirectoryObjectId`), also the resource ID. */
  readonly userId: string;
}

interface MailboxRecord {
  readonly ExternalDirectoryObjectId?: string;
  readonly RecipientTypeDetails?: string;
  readonly PrimarySmtpAddress?: string;
}

async function findMailbox(target: ExchangeTarget, inputs: RoomMailboxInputs): Promise<MailboxRecord | undefined> {
  try {
    const result = await invokeCmdlet(target, { CmdletName: "Get-Mailbox", Parameters: { Identity: inputs.address } }, inputs);
    return result.value[0] as MailboxRecord | undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function requireMailbox(target: ExchangeTarget, inputs: RoomMailboxInputs): Promise<MailboxRecord> {
  const found = await findMailbox(target, inputs);
  if (!found)
    throw exchangeCallError(
      `Get-Mailbox for room ${inputs.room} failed: ${inputs.address} is not visible yet`,
      404,
      "NotFound",
      "ManagementObjectNotFoundException",
    );
  return found;
}

/**
 * Create, or resume an interrupted create: look the room up by address first and only call New-Mailbox when it is
 * absent, so re-running `pulumi up` never makes a second mailbox. Every later step is idempotent.
 */
export async function createRoomMailbox(inputs: RoomMailboxInputs): Promise<{ id: string; outs: RoomMailboxOutputs }> {
  const target: ExchangeTarget = inputs;
  let mailbox = await findMailbox(target, inputs);
  if (!mailbox) {
    try {
      await invokeCmdlet(target, buildNewMailboxCall(inputs), inputs);
    } catch (err) {
      // Created by a run that was interrupted before Get-Mailbox could see it: wait for it instead.
      if (!(isExchangeError(err) && /ProxyAddressExists|already being used/i.test(`${err.exceptionType} ${err.message}`))) throw err;
    }
    mailbox = await untilVisible(() => requireMailbox(target, inputs), isNotFound, inputs.poll);
  }
  if (mailbox.RecipientTypeDetails !== "RoomMailbox") {
    throw new Error(
      `room ${inputs.room}: ${inputs.address} already belongs to a ${mailbox.RecipientTypeDetails ?? "recipient"}, not a room mailbox; ` +
        "m365-baseline does not take over other recipients. Choose another address, or convert it yourself (Set-Mailbox -Type Room) and re-run.",
    );
  }
  await applyMailboxSettings(inputs);
  await applyCalendar(inputs);
  await applyPlace(inputs);
  if (inputs.roomList) await joinRoomList(inputs, inputs.roomList);
  const userId = mailbox.ExternalDirectoryObjectId ?? inputs.address;
  return { id: userId, outs: { ...inputs, userId } };
}

/** Only the groups that changed are sent: one cmdlet (or one PATCH) per group. */
export async function updateRoomMailbox(olds: RoomMailboxOutputs, news: RoomMailboxInputs): Promise<{ outs: RoomMailboxOutputs }> {
  for (const group of changedGroups(olds, news)) {
    if (group === "mailbox") await applyMailboxSettings(news);
    if (group === "calendar") await applyCalendar(news);
    if (group === "place") await applyPlace(news);
    if (group === "roomList") {
      if (olds.roomList) await leaveRoomList(news, olds.roomList);
      if (news.roomList) await joinRoomList(news, news.roomList);
    }
  }
  return { outs: { ...news, userId: olds.userId } };
}

/** Soft by default: Exchange keeps a removed mailbox recoverable for 30 days (Undo-SoftDeletedMailbox). */
export async function deleteRoomMailbox(outs: RoomMailboxOutputs): Promise<void> {
  const parameters: CmdletCall["Parameters"] =
    outs.deletion === "hard" ? { Identity: outs.address, PermanentlyDelete: true, Confirm: false } : { Identity: outs.address, Confirm: false };
  try {
    await invokeCmdlet(outs, { CmdletName: "Remove-Mailbox", Parameters: parameters }, outs);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export function diffRoomMailbox(olds: RoomMailboxOutputs, news: RoomMailboxInputs): pulumi.dynamic.DiffResult {
  // The address is the room's identity in Exchange; a new address is a new room.
  if (olds.address !== news.address) return { changes: true, replaces: ["address"], deleteBeforeReplace: true };
  const groups = changedGroups(olds, news);
  const bookkeeping =
    olds.deletion !== news.deletion || !same(olds.poll, news.poll) || !same(olds.connection, news.connection) || olds.exchangeUrl !== news.exchangeUrl;
  return { changes: groups.length > 0 || bookkeeping };
}

async function applyMailboxSettings(inputs: RoomMailboxInputs): Promise<void> {
  await afterReplication(inputs, () => invokeCmdlet(inputs, buildSetMailboxCall(inputs.address, inputs.mailbox), inputs));
}

async function applyCalendar(inputs: RoomMailboxInputs): Promise<void> {
  await afterReplication(inputs, () => invokeCmdlet(inputs, buildSetCalendarCall(inputs.address, inputs.calendar), inputs));
}

/**
 * The room's place ID. The current v1.0 "Update place" page identifies a place by `id` (an older one also took the
 * email address), so the room is found in List places (`GET /places/microsoft.graph.room`, paged) by its
 * `emailAddress`. Places learns of a new room mailbox some time after Exchange: not listed yet is a 404, "not yet".
 */
async function placeIdOf(client: ReturnType<typeof createGraphClient>, inputs: RoomMailboxInputs): Promise<string> {
  let page = (await client.api("/places/microsoft.graph.room").get()) as { value?: { id?: string; emailAddress?: string }[]; "@odata.nextLink"?: string };
  for (;;) {
    const room = page.value?.find((p) => p.emailAddress?.toLowerCase() === inputs.address.toLowerCase());
    if (room?.id) return room.id;
    const next = page["@odata.nextLink"];
    if (!next) throw remoteCallError(`room ${inputs.address} is not in Places yet`, 404, "ErrorItemNotFound");
    page = (await client.api(next).get()) as typeof page;
  }
}

async function applyPlace(inputs: RoomMailboxInputs): Promise<void> {
  if (!inputs.place) return;
  const client = createGraphClient(inputs.connection);
  const patch = inputs.place;
  try {
    await untilVisible(async () => client.api(`/places/${encodeURIComponent(await placeIdOf(client, inputs))}`).patch(patch), isNotFound, inputs.poll);
  } catch (err) {
    throw describeGraphError(err, {
      resource: `room ${inputs.room}`,
      step: "writing Room Finder metadata (PATCH /places)",
      hints: { 403: "The app needs Place.ReadWrite.All (application) for Graph places." },
    });
  }
}

async function joinRoomList(inputs: RoomMailboxInputs, list: string): Promise<void> {
  try {
    await afterReplication(inputs, () =>
      invokeCmdlet(
        inputs,
        { CmdletName: "Add-DistributionGroupMember", Parameters: { Identity: list, Member: inputs.address, BypassSecurityGroupManagerCheck: true } },
        inputs,
      ),
    );
  } catch (err) {
    if (!isExchangeError(err, "MemberAlreadyExistsException")) throw err;
  }
}

async function leaveRoomList(inputs: RoomMailboxInputs, list: string): Promise<void> {
  try {
    await invokeCmdlet(
      inputs,
      {
        CmdletName: "Remove-DistributionGroupMember",
        Parameters: { Identity: list, Member: inputs.address, BypassSecurityGroupManagerCheck: true, Confirm: false },
      },
      inputs,
    );
  } catch (err) {
    // Already out of the list, or the list is gone: the goal is reached.
    if (!(isNotFound(err) || isExchangeError(err, "MemberNotFoundException"))) throw err;
  }
}

/** A cmdlet can reach a server replication has not reached yet ("couldn't be found"): retry, bounded. */
function afterReplication<T>(inputs: RoomMailboxInputs, call: () => Promise<T>): Promise<T> {
  return untilVisible(call, isNotFound, inputs.poll);
}

/**
 * What the tenant has for the room, in the declaration's shape, so a refresh shows an edit made in the Exchange
 * admin center or Room Finder field by field: Get-Mailbox (display name, alias, MailTip), Get-CalendarProcessing
 * (every declared calendar setting), the room's place (every declared Room Finder property, `GET /places/{id}`) and
 * whether it is still a member of its declared room list (Get-DistributionGroupMember). Gone when Get-Mailbox finds
 * no mailbox.
 */
export async function readRoomMailbox(id: string, props: RoomMailboxOutputs): Promise<ReadResult<RoomMailboxInputs, RoomMailboxOutputs>> {
  const mailbox = (await findMailbox(props, props)) as (MailboxRecord & Record<string, unknown>) | undefined;
  if (!mailbox) return {};
  const calendar = (await invokeCmdlet(props, { CmdletName: "Get-CalendarProcessing", Parameters: { Identity: props.address } }, props)).value[0] ?? {};
  const mailboxSettings: MailboxSettings = {
    DisplayName: String(mailbox.DisplayName ?? ""),
    Alias: String(mailbox.Alias ?? ""),
    MailTip: String(mailbox.MailTip ?? ""),
  };
  const state: RoomMailboxOutputs = {
    ...props,
    mailbox: mailboxSettings,
    calendar: pickDeclared(props.calendar, calendar),
    place: props.place ? await readPlace(props, props.place) : null,
    roomList: props.roomList && (await isListMember(props, props.roomList)) ? props.roomList : null,
  };
  const { userId: _userId, ...inputs } = state;
  void _userId;
  return { id, props: state, inputs };
}

/**
 * The live values of the keys the declaration has. What the service does not return keeps its declared value, and
 * so do OData annotations (`@odata.type` is how the request names the type, not a setting); string lists (Room
 * Finder tags) are sets, compared sorted. A null is a value (cleared in the portal), so it shows as drift.
 */
function pickDeclared<T extends object>(declared: T, live: Record<string, unknown>): T {
  const value = (k: string): unknown => {
    const v = k.startsWith("@odata.") ? undefined : live[k];
    if (v === undefined) return (declared as Record<string, unknown>)[k];
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? [...new Set(v)].sort() : v;
  };
  return Object.fromEntries(Object.keys(declared).map((k) => [k, value(k)])) as T;
}

async function readPlace(inputs: RoomMailboxInputs, declared: NonNullable<RoomMailboxInputs["place"]>): Promise<RoomMailboxInputs["place"]> {
  const client = createGraphClient(inputs.connection);
  try {
    const place = (await client.api(`/places/${encodeURIComponent(await placeIdOf(client, inputs))}`).get()) as Record<string, unknown>;
    return pickDeclared(declared, place);
  } catch (err) {
    if (isNotFound(err)) return declared; // not in Places yet: nothing to compare
    throw describeGraphError(err, { resource: `room ${inputs.room}`, step: "reading Room Finder metadata (GET /places)" });
  }
}

async function isListMember(inputs: RoomMailboxInputs, list: string): Promise<boolean> {
  try {
    const members = await invokeCmdlet(inputs, { CmdletName: "Get-DistributionGroupMember", Parameters: { Identity: list } }, inputs);
    return members.value.some((m) => String(m.PrimarySmtpAddress ?? "").toLowerCase() === inputs.address.toLowerCase());
  } catch (err) {
    if (isNotFound(err)) return false; // the list is gone
    throw err;
  }
}

/** Room mailboxes through Exchange's admin API (New-/Get-/Set-/Remove-Mailbox, Set-CalendarProcessing) and Graph places. */
export const roomMailboxProvider: ManagedProvider<RoomMailboxInputs, RoomMailboxOutputs> = {
  check: async (_olds, news) => ({ inputs: news }),
  create: (inputs) => createRoomMailbox(inputs),
  read: (id, props) => readRoomMailbox(id, props),
  update: (_id, olds, news) => updateRoomMailbox(olds, news),
  delete: (_id, outs) => deleteRoomMailbox(outs),
  diff: async (_id, olds, news) => diffRoomMailbox(olds, news),
};

export const ROOM_MAILBOX_TYPE: ManagedType<RoomMailboxInputs, RoomMailboxOutputs> = { typeName: MANAGED_TYPES.roomMailbox, provider: roomMailboxProvider };
