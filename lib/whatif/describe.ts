import { applicationLabel } from "../entra/well-known";
import { ADMIN_PORTAL_APP, OFFICE365_APPS, OTHER_APP } from "./apps";
import { Outcome, verdict } from "./evaluate";
import { CLIENT_APPS, PLATFORMS } from "./model";
import { DEVICE_STATES, MatrixCell } from "./matrix";
import { EVERYDAY_CONTEXT } from "./contexts";

const OFFICE365_NAMES = Object.fromEntries(Object.entries(OFFICE365_APPS).map(([name, id]) => [id, name]));

/** A reviewer's name for a target: app names before IDs. */
export function targetLabel(target: string): string {
  if (target === OTHER_APP) return "any other cloud app";
  if (target === ADMIN_PORTAL_APP) return "Microsoft Admin Portals";
  if (target.startsWith("urn:user:")) return `user action ${target.slice("urn:user:".length)}`;
  return OFFICE365_NAMES[target] ?? applicationLabel(target);
}

/** One line for an outcome: block, the requirements (per policy), session controls, or allow. */
export function describeOutcome(o: Outcome): string {
  if (verdict(o) === "block") return `BLOCK (${o.blockedBy.join(", ")})`;
  const parts = o.requirements.map((r) => `${r.controls.join(r.operator === "AND" ? " + " : " | ")} (${r.policy})`);
  const s = o.session;
  const session = [
    ...s.cloudAppSecurity.map((c) => `Defender for Cloud Apps ${c.mode} (${c.policy})`),
    ...(s.signInFrequency ? [`sign-in every ${s.signInFrequency.every} (${s.signInFrequency.policy})`] : []),
    ...(s.persistentBrowser ? [`persistent browser ${s.persistentBrowser.mode} (${s.persistentBrowser.policy})`] : []),
    ...s.applicationEnforcedRestrictions.map((p) => `app-enforced restrictions (${p})`),
  ];
  if (session.length > 0) parts.push(`session: ${session.join(", ")}`);
  // Never silent: a policy the evaluator cannot decide is shown as what it may do, and why.
  parts.push(...o.undetermined.map((u) => `NOT EVALUABLE: may ${u.effect} (${u.policy}: ${u.because.join("; ")})`));
  return parts.length > 0 ? parts.join("; ") : "allow";
}

/**
 * Where, among the sign-ins of one persona and target, an outcome occurs: the dimensions that matter, in words.
 * A dimension every variant shares is left out, so "BLOCK on exchangeActiveSync, other" reads as it should.
 */
export function describeWhere(cells: readonly MatrixCell[], contexts: readonly string[] = [EVERYDAY_CONTEXT.name]): string {
  const dims = [
    { all: CLIENT_APPS as readonly string[], of: (c: MatrixCell) => c.clientApp, noun: "clients" },
    { all: PLATFORMS as readonly string[], of: (c: MatrixCell) => c.platform, noun: "platforms" },
    { all: DEVICE_STATES.map((d) => d.name), of: (c: MatrixCell) => c.deviceState, noun: "devices" },
    { all: contexts, of: (c: MatrixCell) => c.context, noun: "sign-ins" },
  ];
  const sets = dims.map((d) => new Set(cells.map(d.of)));
  const product = sets.reduce((n, s) => n * s.size, 1);
  const parts = dims.flatMap((d, i) => (sets[i].size === d.all.length ? [] : [`${d.noun} ${d.all.filter((v) => sets[i].has(v)).join(", ")}`]));
  const complete = product === cells.length;
  // Not a clean product of the listed values: say so instead of implying every combination.
  if (parts.length === 0) return complete ? "every client, platform and device" : "the other sign-ins";
  return complete ? parts.join("; ") : `some combinations of ${parts.join("; ")}`;
}
