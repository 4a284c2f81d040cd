import type { ManagedProvider, ManagedType } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import type { PresetLevel, PresetPolicyDefinition } from "./definition";
import { ExchangeTarget, getOne, isExchangeError, isNotFound, listOf, runCmdlet } from "../../lib/exchange";
import {
  getPresetRuleCall,
  PRESET_SCOPE,
  PRESET_SCOPE_KEYS,
  presetRuleName,
  PresetRuleKind,
  PresetScopeKey,
  presetStateCall,
  setPresetRuleCall,
} from "./payload";

/** A preset security policy (Standard or Strict): its rules on, scoped to the declared recipients. */
export interface PresetInputs extends ExchangeTarget {
  readonly level: PresetLevel;
  /** Sorted, lower-case lists (payload.ts `presetConditions`); [] for none. */
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly domains: readonly string[];
  readonly exceptUsers: readonly string[];
  readonly exceptGroups: readonly string[];
  readonly exceptDomains: readonly string[];
  readonly defenderForOffice365: boolean;
  /** The rules' state: always Enabled; read back, so a preset turned off in the portal shows. */
  readonly state: "Enabled";
}

const PRESETS_DOC = "https://learn.microsoft.com/defender-office-365/preset-security-policies";
const subjectOf = (level: PresetLevel): string => `the ${level} preset security policy`;
const kindsOf = (inputs: Pick<PresetInputs, "defenderForOffice365">): PresetRuleKind[] => (inputs.defenderForOffice365 ? ["EOP", "ATP"] : ["EOP"]);

/**
 * Scope, then on, for each rule. The rules exist only once the preset has been turned on in the Defender portal, and
 * Microsoft supports creating the policies behind them only there ("Don't attempt to create, modify, or remove the
 * individual threat policies"): a missing rule is an error saying so, before anything is changed.
 */
async function applyPreset(inputs: PresetInputs): Promise<void> {
  const subject = subjectOf(inputs.level);
  for (const kind of kindsOf(inputs)) {
    if (!(await presetRule(inputs, kind))) {
      throw new Error(
        `${subject}: the rule "${presetRuleName(inputs.level)}" (${kind}) does not exist. Turn the ${inputs.level} preset on once in the ` +
          `Microsoft Defender portal (Email & collaboration › Policies & rules › Threat policies › Preset security policies): Microsoft ` +
          `creates its policies only there (${PRESETS_DOC}). Nothing was changed.`,
      );
    }
  }
  for (const kind of kindsOf(inputs)) {
    await runCmdlet(inputs, subject, setPresetRuleCall(kind, inputs));
    await runCmdlet(inputs, subject, presetStateCall(kind, inputs.level, true));
  }
  // Without Defender for Office 365 declared, its rule (if the tenant has one, as the portal left it) is turned off,
  // so no recipient gets protections the declaration does not show.
  if (!inputs.defenderForOffice365) await disableQuietly(inputs, "ATP");
}

/**
 * The preset's rule of one kind, or undefined. A tenant without Defender for Office 365 has no ATP cmdlets at all
 * (Exchange answers CommandNotFoundException): said plainly, with what to declare instead.
 */
async function presetRule(inputs: PresetInputs, kind: PresetRuleKind): Promise<Record<string, unknown> | undefined> {
  try {
    return await getOne(inputs, subjectOf(inputs.level), getPresetRuleCall(kind, inputs.level));
  } catch (err) {
    if (kind === "ATP" && isExchangeError(err, "CommandNotFoundException")) {
      throw new Error(`${subjectOf(inputs.level)}: this tenant has no Defender for Office 365 (no ATP cmdlets); declare defenderForOffice365: false`);
    }
    throw err;
  }
}

/** Turns one rule off; a rule, or a cmdlet, the tenant does not have is already off. */
async function disableQuietly(inputs: PresetInputs, kind: PresetRuleKind): Promise<void> {
  try {
    await runCmdlet(inputs, subjectOf(inputs.level), presetStateCall(kind, inputs.level, false));
  } catch (err) {
    if (!isNotFound(err) && !isExchangeError(err, "CommandNotFoundException")) throw err;
  }
}

async function readPreset(id: string, props: PresetInputs) {
  const subject = subjectOf(props.level);
  const eop = await getOne(props, subject, getPresetRuleCall("EOP", props.level));
  if (!eop) return {};
  const atp = props.defenderForOffice365 ? await getOne(props, subject, getPresetRuleCall("ATP", props.level)) : undefined;
  const on = eop.State === "Enabled" && (!props.defenderForOffice365 || atp?.State === "Enabled");
  // The EOP rule's scope stands for both (they are set together); a differing ATP rule shows as its state.
  const sameScope = !atp || JSON.stringify(scopeOf(atp)) === JSON.stringify(scopeOf(eop));
  const state: PresetInputs = { ...props, ...scopeOf(eop), state: (on && sameScope ? "Enabled" : "Disabled") as "Enabled" };
  return { id, props: state, inputs: state };
}

/** The six recipient lists, each lower-case and sorted, read by condition name. */
function scopeFrom(read: (key: PresetScopeKey) => unknown): Pick<PresetInputs, PresetScopeKey> {
  const scope = {} as Record<PresetScopeKey, string[]>;
  for (const key of PRESET_SCOPE_KEYS) scope[key] = listOf(read(key));
  return scope;
}

/** A rule's recipient conditions as the declaration names them. */
function scopeOf(rule: Record<string, unknown>): Pick<PresetInputs, PresetScopeKey> {
  return scopeFrom((key) => rule[PRESET_SCOPE[key]]);
}

export const presetProvider: ManagedProvider<PresetInputs, PresetInputs> = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async (_id, olds, news) => {
    if (olds.level !== news.level) return { changes: true, replaces: ["level"], deleteBeforeReplace: true };
    const changed = PRESET_SCOPE_KEYS.some((k) => olds[k].join("\n") !== news[k].join("\n"));
    return { changes: changed || olds.state !== news.state || olds.defenderForOffice365 !== news.defenderForOffice365 };
  },
  create: async (inputs) => {
    await applyPreset(inputs);
    return { id: presetRuleName(inputs.level), outs: inputs };
  },
  read: (id, props) => readPreset(id, props),
  update: async (_id, _olds, news) => {
    await applyPreset(news);
    return { outs: news };
  },
  /** Forgetting the declaration turns the preset off (its rules stay, as the portal leaves them). */
  delete: async (_id, outs) => {
    for (const kind of kindsOf(outs)) await disableQuietly(outs, kind);
  },
};

/** The declared lists as the provider compares them (lower-case, sorted), from a definition. */
export function presetScopeInputs(p: PresetPolicyDefinition): Pick<PresetInputs, PresetScopeKey> {
  return scopeFrom((key) => p[key]);
}

export const PRESET_TYPE: ManagedType<PresetInputs, PresetInputs> = { typeName: MANAGED_TYPES.presetSecurityPolicy, provider: presetProvider };
