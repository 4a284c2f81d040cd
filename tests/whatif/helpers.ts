import type { CaPolicy, PolicyArgs, SignIn, SignInUser } from "../../lib/whatif/model";

type Conditions = PolicyArgs["conditions"];

/** A Graph-shaped policy with the fewest fields a test needs; defaults: enabled, All users, All apps, all clients. */
export function policy(
  name: string,
  spec: {
    state?: string;
    users?: Conditions["users"];
    applications?: Conditions["applications"];
    conditions?: Omit<Partial<Conditions>, "users" | "applications">;
    grant?: PolicyArgs["grantControls"];
    session?: PolicyArgs["sessionControls"];
  },
): CaPolicy {
  return {
    name,
    args: {
      displayName: name,
      state: spec.state ?? "enabled",
      conditions: {
        clientAppTypes: ["all"],
        users: spec.users ?? { includedUsers: ["All"] },
        applications: spec.applications ?? { includedApplications: ["All"] },
        ...spec.conditions,
      },
      grantControls: spec.grant,
      sessionControls: spec.session,
    },
  };
}

export const MFA = { operator: "OR", builtInControls: ["mfa"] };
export const BLOCK = { operator: "OR", builtInControls: ["block"] };

export const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
export const SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000";
export const TEAMS = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe";
export const INTUNE_ENROLLMENT = "d4ebce55-015a-49b5-a083-c84d1797ae8c";
export const SOME_APP = "11111111-2222-3333-4444-555555555555";
export const GLOBAL_ADMIN_ROLE = "62e90394-69f5-4237-9190-012177145e10";
export const SYNC_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";

export const ALICE = "aaaaaaaa-0000-0000-0000-000000000001";
export const GROUP_A = "aaaaaaaa-0000-0000-0000-0000000000a1";

export function user(overrides: Partial<Omit<SignInUser, "kind">> = {}): SignInUser {
  return { kind: "user", id: ALICE, ...overrides };
}

export function signIn(overrides: Partial<SignIn> = {}): SignIn {
  return { identity: user(), target: { app: SOME_APP }, clientApp: "browser", platform: "windows", ...overrides };
}
