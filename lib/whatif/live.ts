import type { Client } from "@microsoft/microsoft-graph-client";
import type * as graph from "@microsoft/microsoft-graph-types";
import { describeGraphError } from "../graph";
import { Evaluator } from "./evaluate";
import type { ClientApp, SignIn } from "./model";
import type { Persona } from "./personas";
import type { PolicySource } from "./sources";

/** Graph's `userAction` values for the user-action URNs policies carry (conditionalAccessRoot: evaluate). */
const USER_ACTIONS: Readonly<Record<string, graph.UserAction>> = {
  "urn:user:registersecurityinfo": "registerSecurityInformation",
  "urn:user:registerdevice": "registerOrJoinDevices",
};

/** Where Graph's own evaluator and the offline prediction disagree about one policy for one sign-in. */
export interface LiveDisagreement {
  readonly persona: string;
  readonly target: string;
  readonly clientApp: ClientApp;
  readonly policy: string;
  /** True when Graph says the policy applies. */
  readonly live: boolean;
  readonly offline: boolean;
}

export interface LiveOptions {
  /** Client app types to ask about. Every combination is one Graph call, so keep the list short. @default browser, exchangeActiveSync */
  readonly clientApps?: readonly ClientApp[];
}

/**
 * Asks Graph (`POST /identity/conditionalAccess/evaluate`, v1.0) what applies for each persona that is a real
 * account (synthetic personas do not exist in the tenant) and compares it with the offline prediction, for the
 * policies that exist both in the tenant and in the declaration (matched by display name). Calls are sequential:
 * conditional-access endpoints are throttled per tenant.
 */
export async function compareLive(
  client: Client,
  source: PolicySource,
  personas: readonly Persona[],
  targets: readonly string[],
  options: LiveOptions = {},
): Promise<LiveDisagreement[]> {
  const evaluator = new Evaluator(source.policies, source.namedLocations);
  const declared = new Set(source.policies.map((p) => p.args.displayName));
  const real = personas.filter((p) => !p.identity.id.startsWith("00000000-0000-0000-0000-"));
  const disagreements: LiveDisagreement[] = [];
  for (const persona of real) {
    for (const target of targets) {
      for (const clientApp of options.clientApps ?? ["browser", "exchangeActiveSync"]) {
        const signIn: SignIn = {
          identity: persona.identity,
          target: target.startsWith("urn:user:") ? { userAction: target } : { app: target },
          clientApp,
          platform: "windows",
        };
        const offline = evaluator.evaluate(signIn);
        const offlineApplied = new Set([...offline.enforced.applied, ...offline.reportOnly.applied]);
        const live = await evaluateLive(client, signIn, persona.label);
        for (const result of live) {
          const name = result.displayName ?? "";
          if (!declared.has(name)) continue; // only in the tenant: nothing offline to compare with
          const applies = result.policyApplies === true;
          const predicted = offlineApplied.has(name);
          if (applies !== predicted) {
            disagreements.push({ persona: persona.label, target, clientApp, policy: name, live: applies, offline: predicted });
          }
        }
      }
    }
  }
  return disagreements;
}

async function evaluateLive(client: Client, signIn: SignIn, persona: string): Promise<graph.WhatIfAnalysisResult[]> {
  const target = signIn.target;
  const body = {
    signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId: signIn.identity.id },
    signInContext:
      "userAction" in target
        ? { "@odata.type": "#microsoft.graph.userActionContext", userAction: USER_ACTIONS[target.userAction] }
        : { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: [target.app] },
    signInConditions: {
      clientAppType: signIn.clientApp,
      devicePlatform: signIn.platform === "unknown" ? undefined : signIn.platform,
    } satisfies graph.SignInConditions,
    appliedPoliciesOnly: false,
  };
  try {
    const response = (await client.api("/identity/conditionalAccess/evaluate").post(body)) as { value?: graph.WhatIfAnalysisResult[] };
    return response.value ?? [];
  } catch (err) {
    throw describeGraphError(err, {
      resource: `${persona} (${"app" in target ? target.app : target.userAction}, ${signIn.clientApp})`,
      step: "asking Graph's what-if evaluator",
      hints: { 403: "The what-if API needs Policy.Read.ConditionalAccess (delegated or application)." },
    });
  }
}
