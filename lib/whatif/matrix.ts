import { appsToTry } from "./apps";
import { Evaluation, Evaluator } from "./evaluate";
import { CLIENT_APPS, ClientApp, DeviceProperties, Platform, PLATFORMS, SignIn } from "./model";
import type { SignInContext } from "./contexts";
import { EVERYDAY_CONTEXT } from "./contexts";
import type { Persona } from "./personas";
import type { PolicySource } from "./sources";

/** The device states a matrix tries: none registered (every filter property null) and a managed, compliant one. */
export const DEVICE_STATES: readonly { readonly name: string; readonly device: DeviceProperties | undefined }[] = [
  { name: "unregistered device", device: undefined },
  { name: "compliant company device", device: { isCompliant: true, trustType: "AzureAD", deviceOwnership: "Company", profileType: "RegisteredDevice" } },
];

export interface MatrixCell {
  readonly persona: Persona;
  /** An application ID, a keyword stand-in (see apps.ts), or a user action. */
  readonly target: string;
  readonly clientApp: ClientApp;
  readonly platform: Platform;
  readonly deviceState: string;
  /** Where the sign-in comes from and its risk (see contexts.ts). */
  readonly context: string;
  readonly evaluation: Evaluation;
}

/** Every target the policies name: apps (with app-group members and an unnamed app) and user actions. */
export function targetsOf(source: PolicySource): { apps: string[]; userActions: string[] } {
  const named: string[] = [];
  const actions = new Set<string>();
  for (const p of source.policies) {
    const a = p.args.conditions.applications ?? {};
    named.push(...(a.includedApplications ?? []), ...(a.excludedApplications ?? []));
    (a.includedUserActions ?? []).forEach((u) => actions.add(u));
  }
  return { apps: appsToTry(named), userActions: [...actions].sort() };
}

/**
 * Evaluates every persona against every target, client app type, platform, device state and context. By default
 * sign-ins come from no named location (untrusted), with no risk: the everyday case a reviewer's table shows; the
 * lockout check adds risky sign-ins and one from each named location.
 */
export function runMatrix(source: PolicySource, personas: readonly Persona[], contexts: readonly SignInContext[] = [EVERYDAY_CONTEXT]): MatrixCell[] {
  const evaluator = new Evaluator(source.policies, source.namedLocations);
  const { apps, userActions } = targetsOf(source);
  const targets: { key: string; target: SignIn["target"] }[] = [
    ...apps.map((app) => ({ key: app, target: { app } })),
    ...userActions.map((userAction) => ({ key: userAction, target: { userAction } })),
  ];
  const cells: MatrixCell[] = [];
  for (const persona of personas) {
    for (const t of targets) {
      for (const clientApp of CLIENT_APPS) {
        for (const platform of PLATFORMS) {
          for (const state of DEVICE_STATES) {
            for (const { name: context, ...where } of contexts) {
              const signIn: SignIn = { identity: persona.identity, target: t.target, clientApp, platform, device: state.device, ...where };
              cells.push({ persona, target: t.key, clientApp, platform, deviceState: state.name, context, evaluation: evaluator.evaluate(signIn) });
            }
          }
        }
      }
    }
  }
  return cells;
}
