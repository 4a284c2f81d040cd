import type { Plan, PlannedResource } from "../../lib/plan/record";
import { TOKENS } from "../../lib/managed/tokens";

/** Hand-written plans in the shape `plan --json` writes, so diff tests do not depend on the recorder. */
export const SYNC_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";
export const GLOBAL_ADMIN_ROLE = "62e90394-69f5-4237-9190-012177145e10";
export const SYNC_USER = { objectId: "0bf1d06d-384d-46b7-bdda-c4970ade530e", displayName: "Sync_DC01_5f2a9c1b7e4d" };
export const BREAK_GLASS = { objectId: "f5d1338a-d90b-4b58-b7d2-fc8eb8b1350b", displayName: "breakglass01@example.onmicrosoft.com" };

const SET = TOKENS.conditionalAccessPolicySet;
const COMPONENT = TOKENS.conditionalAccessComponent;
const POLICY = TOKENS.conditionalAccessPolicy;

export function urn(stack: string, typeChain: string, name: string): string {
  return `urn:pulumi:${stack}::m365-baseline::${typeChain}::${name}`;
}

export interface PolicyShape {
  state?: string;
  includedUsers?: string[];
  excludedUsers?: string[];
  excludedRoles?: string[];
  clientAppTypes?: string[];
  builtInControls?: string[];
  optOuts?: { kind: string; reason: string }[];
}

/** A conditional-access policy and its component, with the sync user, break-glass user and sync role excluded by default. */
export function policy(stack: string, name: string, shape: PolicyShape = {}): PlannedResource[] {
  const setUrn = urn(stack, SET, "conditional-access");
  const componentUrn = urn(stack, `${SET}$${COMPONENT}`, name);
  return [
    {
      urn: componentUrn,
      type: COMPONENT,
      name,
      parent: setUrn,
      inputs: {
        review: {
          builtInExclusions: { roles: [SYNC_ROLE], users: [SYNC_USER, BREAK_GLASS], groups: [], servicePrincipals: [] },
          optOuts: shape.optOuts ?? [],
        },
      },
    },
    {
      urn: urn(stack, `${SET}$${COMPONENT}$${POLICY}`, name),
      type: POLICY,
      name,
      parent: componentUrn,
      inputs: {
        displayName: name,
        state: shape.state ?? "enabledForReportingButNotEnforced",
        conditions: {
          users: {
            includedUsers: shape.includedUsers ?? ["All"],
            excludedUsers: shape.excludedUsers ?? [SYNC_USER.objectId, BREAK_GLASS.objectId],
            excludedRoles: shape.excludedRoles ?? [SYNC_ROLE],
          },
          applications: { includedApplications: ["All"] },
          clientAppTypes: shape.clientAppTypes ?? ["all"],
        },
        grantControls: { operator: "OR", builtInControls: shape.builtInControls ?? ["mfa"] },
      },
    },
  ];
}

export function plan(stack: string, ...resources: PlannedResource[][]): Plan {
  const policySet: PlannedResource = { urn: urn(stack, SET, "conditional-access"), type: SET, name: "conditional-access", parent: null, inputs: {} };
  return { stack, project: "m365-baseline", resources: [policySet, ...resources.flat()] };
}
