import { z } from "zod";
import { resolveRole, ROLE_TEMPLATES } from "../entra/well-known";
import { GUID_PATTERN, ProblemList } from "../problems";
import { GUEST_OR_EXTERNAL_USER_TYPES } from "../entra/well-known";
import type { TenantSettings } from "../tenant-settings";
import type { SignInUser } from "./model";

/**
 * A kind of account whose sign-ins a reviewer wants to see. `protected` personas are the ones a policy must never
 * block or challenge: the directory-sync and break-glass accounts.
 */
export interface Persona {
  /** Stable, unique key (table rows, JSON output). */
  readonly key: string;
  /** What a reviewer reads: the role of the account and, for real accounts, its name. */
  readonly label: string;
  readonly kind: "directorySync" | "breakGlass" | "globalAdmin" | "member" | "guest" | "room" | "custom";
  readonly protected: boolean;
  /**
   * Signs in on a device with nobody at it (a Teams Rooms console): only what a device can satisfy (a compliant or
   * joined device, a trusted location) reaches it as intended. For a protected one the lockout gate refuses what
   * needs a person (MFA, terms of use, an authentication strength); a device-based block is the room policy's job.
   */
  readonly unattended?: boolean;
  readonly identity: SignInUser;
}

const GLOBAL_ADMIN = ROLE_TEMPLATES["Global Administrator"];
const DIRECTORY_SYNC = ROLE_TEMPLATES["Directory Synchronization Accounts"];

/** Object IDs for accounts that stand for "any such user"; the nil-GUID prefix keeps them apart from real IDs. */
function syntheticId(n: number): string {
  return `00000000-0000-0000-0000-${n.toString(16).padStart(12, "0")}`;
}

/** The config key (in `Pulumi.<stack>.yaml`) where a tenant adds its own personas. */
export const PERSONAS_CONFIG_KEY = "m365-baseline:whatifPersonas";

const guid = z.string().regex(GUID_PATTERN, { message: "must be a GUID (object ID)" });
const customPersonaSchema = z
  .object({
    /** Shown in the table, e.g. "Teams Rooms device account". */
    name: z.string().min(1),
    /** A real user's object ID, so user-level includes and exclusions apply. @default a synthetic ID */
    objectId: guid.optional(),
    /** Group object IDs the account is a member of. */
    groups: z.array(guid).default([]),
    /** Directory roles by name or template ID. */
    roles: z.array(z.string()).default([]),
    /** Set for a guest or external user. */
    guestType: z.enum(GUEST_OR_EXTERNAL_USER_TYPES).optional(),
    /** When true, whatif and plan fail if an enabled policy would block or challenge this account. @default false */
    protected: z.boolean().default(false),
  })
  .strict();
export const customPersonasSchema = z.array(customPersonaSchema);
export type CustomPersona = z.output<typeof customPersonaSchema>;

/** Parses the stack's own personas, with errors naming the stack, the file, the persona and the field. */
export function parseCustomPersonas(raw: unknown, stack: string): CustomPersona[] {
  const problems = new ProblemList([`stack ${stack}`, `Pulumi.${stack}.yaml`]);
  const result = customPersonasSchema.safeParse(raw ?? []);
  if (!result.success) {
    for (const issue of result.error.issues) problems.add([PERSONAS_CONFIG_KEY, ...issue.path.map(String)].join("."), issue.message);
    problems.throwIfAny();
  }
  const personas = result.data ?? [];
  personas.forEach((p, i) =>
    p.roles.forEach((role, j) => {
      const r = resolveRole(role);
      if (!r.ok) problems.add(`${PERSONAS_CONFIG_KEY}.${i}.roles.${j}`, `unknown role "${role}"`, r.known);
    }),
  );
  problems.throwIfAny();
  return personas;
}

/**
 * The persona matrix: each sync account (holding the Directory Synchronization Accounts role), each break-glass
 * user and a member of each break-glass group (Global Administrators, as emergency accounts are), a Global
 * Administrator, a standard member, a guest, a room account, then the tenant's own personas.
 */
export function buildPersonas(tenant: TenantSettings, custom: readonly CustomPersona[] = []): Persona[] {
  let next = 1;
  const personas: Persona[] = [];
  const add = (p: Omit<Persona, "key">): void => void personas.push({ ...p, key: `${p.kind}:${personas.length + 1}` });

  for (const account of tenant.directorySync.accounts) {
    add({
      kind: "directorySync",
      protected: true,
      label: `sync account ${account.displayName}`,
      identity: { kind: "user", id: account.objectId, roles: [DIRECTORY_SYNC] },
    });
  }
  if (tenant.directorySync.accounts.length === 0) {
    // Cloud-only today; the role exclusion still has to protect a sync server installed tomorrow.
    add({
      kind: "directorySync",
      protected: true,
      label: "any Directory Synchronization Accounts role holder",
      identity: { kind: "user", id: syntheticId(next++), roles: [DIRECTORY_SYNC] },
    });
  }
  for (const u of tenant.breakGlass.users) {
    add({
      kind: "breakGlass",
      protected: true,
      label: `break-glass account ${u.displayName}`,
      identity: { kind: "user", id: u.objectId, roles: [GLOBAL_ADMIN] },
    });
  }
  for (const g of tenant.breakGlass.groups) {
    add({
      kind: "breakGlass",
      protected: true,
      label: `member of break-glass group ${g.displayName}`,
      identity: { kind: "user", id: syntheticId(next++), groups: [g.objectId], roles: [GLOBAL_ADMIN] },
    });
  }
  add({ kind: "globalAdmin", protected: false, label: "a Global Administrator", identity: { kind: "user", id: syntheticId(next++), roles: [GLOBAL_ADMIN] } });
  add({ kind: "member", protected: false, label: "a standard member", identity: { kind: "user", id: syntheticId(next++) } });
  add({
    kind: "guest",
    protected: false,
    label: "a B2B collaboration guest",
    identity: { kind: "user", id: syntheticId(next++), guestType: "b2bCollaborationGuest" },
  });
  // With a room accounts group, the rooms get the built-in treatment: protected from what they cannot answer.
  const roomGroup = tenant.rooms?.accountsGroup;
  add({
    kind: "room",
    protected: roomGroup !== undefined,
    unattended: true,
    label: roomGroup ? `Teams Rooms account (member of ${roomGroup.displayName})` : "a room (resource) account",
    identity: { kind: "user", id: syntheticId(next++), ...(roomGroup ? { groups: [roomGroup.objectId] } : {}) },
  });
  for (const c of custom) {
    const roles = c.roles.map((r) => resolveRole(r)).flatMap((r) => (r.ok ? [r.id] : []));
    add({
      kind: "custom",
      protected: c.protected,
      label: c.name,
      identity: { kind: "user", id: c.objectId ?? syntheticId(next++), groups: c.groups, roles, guestType: c.guestType },
    });
  }
  return personas;
}
