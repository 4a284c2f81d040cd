import { z } from "zod";
import { applicationLabel, resolveApplication } from "../../lib/entra/well-known";
import { byLogicalName } from "../../lib/logical-order";
import type { Plan } from "../../lib/plan/record";
import { isGuid } from "../../lib/problems";
import {
  BLOCKABLE_ACTIVITIES,
  ContentInspection,
  DEVICE_TAGS,
  FILTER_OPERATORS,
  FilterOperator,
  IP_CATEGORIES,
  SESSION_CONTROL_TYPES,
  SESSION_POLICY_CATEGORIES,
  SESSION_POLICY_SEVERITIES,
  SessionPolicyAction,
  SessionPolicyDefinition,
  UNINSPECTABLE_FILE_HANDLING,
} from "./definition";
import { canonicalSessionPolicy, CanonicalFilter, CanonicalSessionPolicy } from "./payload";
import { fingerprint, md, PORTAL_APP_NAMES, portalWords, SESSION_POLICY_TYPE } from "./runbook";

/**
 * The session-policy export: this project's own JSON shape for what the Defender portal shows of each session
 * policy, in the portal's words. Microsoft documents no API that reads session policies (the documented Defender
 * for Cloud Apps API covers activities, alerts, entities, files, discovery and IP ranges; community tools such as
 * the microsoft/MCAS PowerShell module call the undocumented `/cas/api/v1/policies/`, whose session-policy fields
 * nobody documents). So an administrator fills this file from the portal by hand, or a script produces it, and
 * `runbook --check` compares it with the declaration. `runbook --json` writes the same shape for the declaration,
 * as the template to fill. Shape described in docs/cloud-app-security.md, "Checking the portal".
 */
export const SESSION_POLICY_EXPORT_FORMAT = "m365-baseline session-policy export v1";

const WORDS = portalWords;
/** What the portal offers for files that cannot be inspected; the runbook states one of the two for every policy that inspects. */
const UNINSPECTABLE_WORDS: Readonly<Record<string, string>> = { allow: "Allow", block: "Block" };
const INSPECTION_METHOD_WORDS = {
  none: "None",
  dataClassificationService: "Data Classification Service",
  customExpression: "Built-in DLP",
  malwareDetection: "Malware Detection",
} as const;
const MONITOR_ONLY = WORDS.controlType.monitorOnly;
const NO_ACTIONS = "none (Monitor only has no actions)";
const FILE_CONTROL_TYPES: readonly string[] = ["controlFileDownload", "controlFileUpload"];

/** Portal words of one of the definition's value lists, in the definition's order, for a zod enum. */
function wordsOf(words: Readonly<Record<string, string>>, keys: readonly string[]): [string, ...string[]] {
  const [first, ...rest] = keys.map((k) => words[k]);
  return [first, ...rest];
}

/**
 * A strict object: a key the shape does not know is an error that lists the keys it does, so a typo (`policyname`)
 * is reported instead of silently reading as "no value".
 */
function portalObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown ${issue.keys.length === 1 ? "key" : "keys"} ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed: ${Object.keys(shape).join(", ")}`
        : undefined,
  });
}

/**
 * The export's zod schema, built on first use: only `runbook --check` reads an export, and building it at import
 * would cost every plan (the area's index loads this module) for nothing.
 */
function buildExportSchema() {
  const nonBlank = z.string().trim().min(1, { message: "is blank; write the value as the portal shows it" });
  const operatorSchema = z.enum(wordsOf(WORDS.operator, FILTER_OPERATORS));
  function filterSchema(values: z.ZodType<string>) {
    return portalObject({ operator: operatorSchema, values: z.array(values).min(1, { message: "is empty; leave the filter out when the portal shows none" }) });
  }
  const uninspectableSchema = z.enum(wordsOf(UNINSPECTABLE_WORDS, UNINSPECTABLE_FILE_HANDLING));

  const activityFiltersSchema = portalObject({
    /** Portal: "Device" › "Tag". */
    deviceTag: filterSchema(z.enum(wordsOf(WORDS.deviceTag, DEVICE_TAGS))).optional(),
    /** Portal: "IP address" › "Category". */
    ipAddressCategory: filterSchema(z.enum(wordsOf(WORDS.ipCategory, IP_CATEGORIES))).optional(),
    /** Portal: "IP address" › "Raw IP address" (CIDR ranges). */
    rawIpAddress: filterSchema(nonBlank).optional(),
    /** Portal: "Location" (ISO 3166-1 alpha-2 country codes, as the runbook writes them). */
    location: filterSchema(nonBlank).optional(),
    /** Portal: "Registered ISP". */
    registeredIsp: filterSchema(nonBlank).optional(),
    /** Portal: "User" › "From group". */
    userFromGroup: filterSchema(nonBlank).optional(),
    /** Portal: "App" equals … (app names as the portal lists them, or application client IDs). Absent: every routed app. */
    app: z.array(nonBlank).min(1, { message: "is empty; leave app out when the policy has no app filter" }).optional(),
    /** Portal: "Activity type" equals … ("Block activities" only). */
    activityType: z
      .array(z.enum(wordsOf(WORDS.activity, BLOCKABLE_ACTIVITIES)))
      .min(1)
      .optional(),
  });

  const fileFiltersSchema = portalObject({
    /** Portal: "Sensitivity label". */
    sensitivityLabel: filterSchema(nonBlank).optional(),
    /** Portal: "Extension" (without the dot). */
    extension: filterSchema(nonBlank).optional(),
    /** Portal: "File name" › "contains". */
    fileNameContains: z.array(nonBlank).min(1).optional(),
  });

  const inspectionMethodSchema = z.discriminatedUnion("method", [
    portalObject({ method: z.literal(INSPECTION_METHOD_WORDS.none) }),
    portalObject({
      method: z.literal(INSPECTION_METHOD_WORDS.dataClassificationService),
      /** Portal: "Choose inspection type" › "Sensitive information type". */
      sensitiveInformationTypes: z.array(nonBlank).min(1),
      filesThatCannotBeInspected: uninspectableSchema,
    }),
    portalObject({
      method: z.literal(INSPECTION_METHOD_WORDS.customExpression),
      /** Portal: "Include files that match a custom expression". */
      customExpression: nonBlank,
      filesThatCannotBeInspected: uninspectableSchema,
    }),
    portalObject({ method: z.literal(INSPECTION_METHOD_WORDS.malwareDetection) }),
  ]);

  const actionsSchema = z.discriminatedUnion(
    "action",
    [
      portalObject({ action: z.literal("Test") }),
      portalObject({ action: z.literal("Block"), /** Absent: "Customize block message" cleared. */ customBlockMessage: nonBlank.optional() }),
      portalObject({
        action: z.literal("Protect"),
        applySensitivityLabel: nonBlank,
        /** Portal: "Block download of any file that is unsupported by native protection or where native protection is unsuccessful". */
        blockUnprotectableFiles: z.boolean(),
        customBlockMessage: nonBlank.optional(),
      }),
    ],
    {
      // The portal calls a control type "Monitor only"; people also say a policy's action is "monitor only".
      error: (issue) =>
        issue.code === "invalid_union"
          ? `expected "Test", "Block" or "Protect"; "${MONITOR_ONLY}" is a session control type, which has no actions: set sessionControlType to "${MONITOR_ONLY}" and leave actions out`
          : undefined,
    },
  );

  const alertsSchema = portalObject({
    /** Portal: "Create an alert for each matching event with the policy's severity". */
    createAlert: z.boolean(),
    /** Portal: "Daily alert limit". */
    dailyAlertLimit: z.number().int().min(1).optional(),
    /** Portal: "Send alert as email" recipients. */
    sendAlertAsEmail: z.array(nonBlank).min(1).optional(),
  });

  const exportedPolicySchema = portalObject({
    /** Portal: "Policy name": how a policy in the export is matched to a declared one (case and surrounding spaces ignored). */
    policyName: nonBlank,
    /** Portal: "Description". Absent or "" when empty. */
    description: z.string().optional(),
    policySeverity: z.enum(wordsOf(WORDS.severity, SESSION_POLICY_SEVERITIES)),
    category: z.enum(wordsOf(WORDS.category, SESSION_POLICY_CATEGORIES)),
    sessionControlType: z.enum(wordsOf(WORDS.controlType, SESSION_CONTROL_TYPES)),
    /** Portal: "Activity source" › "Activities matching all of the following". Absent: no filter. */
    activityFilters: activityFiltersSchema.optional(),
    /** Portal: "Files matching all of the following" (file download and upload control only). Absent: no filter. */
    fileFilters: fileFiltersSchema.optional(),
    /** Portal: "Inspection method" (file download and upload control only). */
    inspectionMethod: inspectionMethodSchema.optional(),
    /** Portal: "Actions". Absent only for "Monitor only", which has none. */
    actions: actionsSchema.optional(),
    /** Portal: "Alerts". Absent: no alert. */
    alerts: alertsSchema.optional(),
  }).superRefine((policy, context) => {
    if (policy.sessionControlType !== MONITOR_ONLY && !policy.actions)
      context.addIssue({
        code: "custom",
        path: ["actions"],
        message: `is missing; every session control type but "${MONITOR_ONLY}" has an action: {"action": "Test"}, {"action": "Block"} or {"action": "Protect", ...}`,
      });
  });

  /** The whole export: a format marker (so a plan or another file is not read as one), optionally the stack, the policies. */
  const sessionPolicyExportSchema = portalObject({
    format: z.literal(SESSION_POLICY_EXPORT_FORMAT, { message: `must be "${SESSION_POLICY_EXPORT_FORMAT}" (write the file with \`runbook --json\`)` }),
    /** The tenant stack the export was taken from; when given, `--check` refuses another stack's declaration. */
    stack: nonBlank.optional(),
    policies: z.array(exportedPolicySchema).superRefine((policies, context) => {
      const seen = new Map<string, number>();
      policies.forEach((p, index) => {
        const key = matchKey(p.policyName);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else
          context.addIssue({
            code: "custom",
            path: [index, "policyName"],
            message: `"${p.policyName}" is the same policy name as policies[${first}]; the portal's policy names are unique`,
          });
      });
    }),
  });
  return sessionPolicyExportSchema;
}

let exportSchema: ReturnType<typeof buildExportSchema> | undefined;

export type SessionPolicyExport = z.output<ReturnType<typeof buildExportSchema>>;
/** One session policy as the portal shows it. */
export type ExportedSessionPolicy = SessionPolicyExport["policies"][number];

/**
 * Checks parsed JSON against the export shape. Errors name the source, each JSON path (with the policy's name when
 * it has one) and what is allowed there, and never echo other content of the file.
 */
export function parseSessionPolicyExport(raw: unknown, source: string): SessionPolicyExport {
  const result = (exportSchema ??= buildExportSchema()).safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${jsonPath(issue.path)}${policyNameAt(raw, issue.path)}: ${issue.message}`);
  throw new Error(
    `session-policy export ${source} does not have the shape \`runbook --json\` writes ` +
      `(docs/cloud-app-security.md, "Checking the portal"):\n${lines.join("\n")}`,
  );
}

function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("");
}

/** ` (policy "…")` when the path is inside a policy whose name can be read: the administrator finds it faster. */
function policyNameAt(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== "policies" || typeof path[1] !== "number") return "";
  const policies = (raw as { policies?: unknown }).policies;
  const name = Array.isArray(policies) ? (policies[path[1]] as { policyName?: unknown } | undefined)?.policyName : undefined;
  return typeof name === "string" && name.trim() !== "" ? ` (policy "${name}")` : "";
}

/** The declared session policies a recorded plan carries, as canonical JSON. */
export function sessionPoliciesInPlan(plan: Plan): CanonicalSessionPolicy[] {
  // Written by DefenderSessionPolicy from this same type.
  return byLogicalName(plan.resources.filter((r) => r.type === SESSION_POLICY_TYPE).map((r) => r.inputs.sessionPolicy as CanonicalSessionPolicy));
}

/** The export the declaration amounts to (what `runbook --json` writes): the template an administrator fills. */
export function sessionPolicyExportOf(stack: string, declared: readonly CanonicalSessionPolicy[]): SessionPolicyExport {
  return { format: SESSION_POLICY_EXPORT_FORMAT, stack, policies: byLogicalName(declared).map(exportedPolicyOf) };
}

/** One canonical policy in the portal's words. */
export function exportedPolicyOf(p: CanonicalSessionPolicy): ExportedSessionPolicy {
  const a = p.activities;
  const fileControl = FILE_CONTROL_TYPES.includes(p.controlType);
  return withoutUndefined({
    policyName: p.displayName,
    description: p.description ?? "",
    policySeverity: WORDS.severity[p.severity],
    category: WORDS.category[p.category],
    sessionControlType: WORDS.controlType[p.controlType],
    activityFilters: withoutUndefined({
      deviceTag: filterInWords(a.deviceTags, WORDS.deviceTag),
      ipAddressCategory: filterInWords(a.ipCategories, WORDS.ipCategory),
      rawIpAddress: filterInWords(a.ipRanges),
      location: filterInWords(a.locations),
      registeredIsp: filterInWords(a.isps),
      userFromGroup: filterInWords(a.userGroups),
      app: a.apps?.map(portalAppValue),
      activityType: a.activityTypes?.map((t) => WORDS.activity[t] ?? t),
    }),
    fileFilters: p.files
      ? withoutUndefined({
          sensitivityLabel: filterInWords(p.files.sensitivityLabels),
          extension: filterInWords(p.files.extensions),
          fileNameContains: p.files.nameContains ? [...p.files.nameContains] : undefined,
        })
      : undefined,
    // The runbook names an inspection method (possibly "None") exactly for the file control types.
    inspectionMethod: fileControl || p.contentInspection ? inspectionInWords(p.contentInspection) : undefined,
    actions: p.controlType === "monitorOnly" && p.action.kind === "test" ? undefined : actionInWords(p.action),
    alerts: p.alerts.enabled
      ? withoutUndefined({
          createAlert: true,
          dailyAlertLimit: p.alerts.dailyLimit,
          sendAlertAsEmail: p.alerts.emailRecipients ? [...p.alerts.emailRecipients] : undefined,
        })
      : { createAlert: false },
  });
}

function filterInWords(f: CanonicalFilter | undefined, words: Readonly<Record<string, string>> = {}): { operator: string; values: string[] } | undefined {
  return f ? { operator: WORDS.operator[f.operator], values: f.values.map((v) => words[v] ?? v) } : undefined;
}

/** The portal's name of a well-known app; any other app by its client ID, which is what an export can match on. */
function portalAppValue(id: string): string {
  return PORTAL_APP_NAMES[id] ?? PORTAL_APP_NAMES[applicationLabel(id)] ?? id;
}

function inspectionInWords(c: ContentInspection | undefined): ExportedSessionPolicy["inspectionMethod"] {
  if (!c) return { method: INSPECTION_METHOD_WORDS.none };
  switch (c.method) {
    case "dataClassificationService":
      return {
        method: INSPECTION_METHOD_WORDS.dataClassificationService,
        sensitiveInformationTypes: [...c.sensitiveInformationTypes],
        filesThatCannotBeInspected: UNINSPECTABLE_WORDS[c.uninspectableFiles ?? "allow"],
      };
    case "customExpression":
      return {
        method: INSPECTION_METHOD_WORDS.customExpression,
        customExpression: c.expression,
        filesThatCannotBeInspected: UNINSPECTABLE_WORDS[c.uninspectableFiles ?? "allow"],
      };
    case "malwareDetection":
      return { method: INSPECTION_METHOD_WORDS.malwareDetection };
  }
}

function actionInWords(a: SessionPolicyAction): ExportedSessionPolicy["actions"] {
  switch (a.kind) {
    case "test":
      return { action: "Test" };
    case "block":
      return withoutUndefined({ action: "Block" as const, customBlockMessage: a.customBlockMessage });
    case "protect":
      return withoutUndefined({
        action: "Protect" as const,
        applySensitivityLabel: a.sensitivityLabel,
        blockUnprotectableFiles: a.blockUnprotectableFiles ?? true,
        customBlockMessage: a.customBlockMessage,
      });
  }
}

/**
 * An exported policy as canonical JSON under the declared policy's logical name, through the same canonicaliser as
 * the declaration, so equal meanings (list order, spaces, case of CIDRs and extensions) hash alike.
 */
export function canonicalOfExported(e: ExportedSessionPolicy, logicalName: string): CanonicalSessionPolicy {
  const a = e.activityFilters ?? {};
  const f = e.fileFilters;
  const definition: SessionPolicyDefinition = {
    name: logicalName,
    displayName: e.policyName,
    description: e.description,
    severity: keyOf(WORDS.severity, SESSION_POLICY_SEVERITIES, e.policySeverity),
    category: keyOf(WORDS.category, SESSION_POLICY_CATEGORIES, e.category),
    controlType: keyOf(WORDS.controlType, SESSION_CONTROL_TYPES, e.sessionControlType),
    activities: {
      deviceTags: a.deviceTag && { operator: operatorOf(a.deviceTag.operator), tags: a.deviceTag.values.map((v) => keyOf(WORDS.deviceTag, DEVICE_TAGS, v)) },
      ipCategories: a.ipAddressCategory && {
        operator: operatorOf(a.ipAddressCategory.operator),
        categories: a.ipAddressCategory.values.map((v) => keyOf(WORDS.ipCategory, IP_CATEGORIES, v)),
      },
      ipRanges: a.rawIpAddress && { operator: operatorOf(a.rawIpAddress.operator), cidrs: a.rawIpAddress.values },
      locations: a.location && { operator: operatorOf(a.location.operator), countries: a.location.values },
      isps: a.registeredIsp && { operator: operatorOf(a.registeredIsp.operator), names: a.registeredIsp.values },
      userGroups: a.userFromGroup && { operator: operatorOf(a.userFromGroup.operator), groups: a.userFromGroup.values },
      activityTypes: a.activityType?.map((t) => keyOf(WORDS.activity, BLOCKABLE_ACTIVITIES, t)),
      // Apps are set below: the canonicaliser only accepts apps a declaration may name, an export may name any.
    },
    files: f && {
      sensitivityLabels: f.sensitivityLabel && { operator: operatorOf(f.sensitivityLabel.operator), labels: f.sensitivityLabel.values },
      extensions: f.extension && { operator: operatorOf(f.extension.operator), extensions: f.extension.values },
      nameContains: f.fileNameContains,
    },
    contentInspection: inspectionOf(e.inspectionMethod),
    action: actionOf(e.actions),
    alerts: e.alerts && { enabled: e.alerts.createAlert, dailyLimit: e.alerts.dailyAlertLimit, emailRecipients: e.alerts.sendAlertAsEmail },
  };
  const canonical = canonicalSessionPolicy(definition);
  const apps = a.app ? [...new Set(a.app.map(appIdOf))].sort() : undefined;
  return apps ? { ...canonical, activities: { ...canonical.activities, apps } } : canonical;
}

/** An app value of the export as the canonical form records apps: well-known names resolved, client IDs lower-cased. */
function appIdOf(value: string): string {
  const trimmed = value.trim();
  const label = Object.keys(PORTAL_APP_NAMES).find((k) => PORTAL_APP_NAMES[k] === trimmed);
  const resolved = label ? resolveApplication(label) : undefined;
  if (resolved?.ok) return resolved.id;
  return isGuid(trimmed) ? trimmed.toLowerCase() : trimmed; // an app the declaration cannot name: it can only differ
}

function inspectionOf(i: ExportedSessionPolicy["inspectionMethod"]): ContentInspection | undefined {
  switch (i?.method) {
    case undefined:
    case INSPECTION_METHOD_WORDS.none:
      return undefined;
    case INSPECTION_METHOD_WORDS.dataClassificationService:
      return {
        method: "dataClassificationService",
        sensitiveInformationTypes: i.sensitiveInformationTypes,
        uninspectableFiles: keyOf(UNINSPECTABLE_WORDS, UNINSPECTABLE_FILE_HANDLING, i.filesThatCannotBeInspected),
      };
    case INSPECTION_METHOD_WORDS.customExpression:
      return {
        method: "customExpression",
        expression: i.customExpression,
        uninspectableFiles: keyOf(UNINSPECTABLE_WORDS, UNINSPECTABLE_FILE_HANDLING, i.filesThatCannotBeInspected),
      };
    case INSPECTION_METHOD_WORDS.malwareDetection:
      return { method: "malwareDetection" };
  }
}

function actionOf(a: ExportedSessionPolicy["actions"]): SessionPolicyAction {
  switch (a?.action) {
    case undefined: // "Monitor only": no actions, which the canonical form records as its default, test
    case "Test":
      return { kind: "test" };
    case "Block":
      return { kind: "block", customBlockMessage: a.customBlockMessage };
    case "Protect":
      return {
        kind: "protect",
        sensitivityLabel: a.applySensitivityLabel,
        blockUnprotectableFiles: a.blockUnprotectableFiles,
        customBlockMessage: a.customBlockMessage,
      };
  }
}

function operatorOf(word: string): FilterOperator {
  return keyOf(WORDS.operator, FILTER_OPERATORS, word);
}

/** The definition's value for a portal word. The schema admitted only these words, so a miss is a bug here. */
function keyOf<Key extends string>(words: Readonly<Record<string, string>>, keys: readonly Key[], word: string): Key {
  const key = keys.find((k) => words[k] === word);
  if (key === undefined) throw new Error(`session-policy export: "${word}" passed the schema but has no value in the definition`);
  return key;
}

/** One portal field whose declared value and exported value differ, both in the portal's words. */
export interface FieldDifference {
  readonly field: string;
  readonly declared: string;
  readonly exported: string;
}

export type DeclaredPolicyCheck =
  | { readonly status: "matches"; readonly name: string; readonly policyName: string; readonly fingerprint: string }
  | {
      readonly status: "differs";
      readonly name: string;
      readonly policyName: string;
      readonly fingerprint: string;
      /** Fingerprint of the exported policy under the declared logical name, comparable with `fingerprint`. */
      readonly exportedFingerprint: string;
      readonly differences: readonly FieldDifference[];
    }
  | { readonly status: "missing"; readonly name: string; readonly policyName: string; readonly fingerprint: string };

export interface SessionPolicyCheck {
  /** One entry per declared policy, in logical-name order. */
  readonly declared: readonly DeclaredPolicyCheck[];
  /** Policies in the export that no declaration names, in the export's order. */
  readonly undeclared: readonly { readonly policyName: string; readonly sessionControlType: string }[];
  /** True when every declared policy matches and the export holds nothing else. */
  readonly matches: boolean;
}

/** Policy names as the portal compares them for the administrator: case and surrounding spaces do not make another policy. */
function matchKey(policyName: string): string {
  return policyName.trim().toLowerCase();
}

/**
 * Compares the export with the declaration. A declared policy matches when the exported policy of the same name
 * has the same fingerprint; otherwise every portal field that differs is listed. List order never matters.
 */
export function checkSessionPolicyExport(declared: readonly CanonicalSessionPolicy[], exported: SessionPolicyExport): SessionPolicyCheck {
  const byName = new Map(exported.policies.map((p) => [matchKey(p.policyName), p]));
  const declaredNames = new Set(declared.map((p) => matchKey(p.displayName)));
  const results = byLogicalName(declared).map((policy): DeclaredPolicyCheck => {
    const base = { name: policy.name, policyName: policy.displayName, fingerprint: fingerprint(policy) };
    const found = byName.get(matchKey(policy.displayName));
    if (!found) return { status: "missing", ...base };
    // Both sides through the same portal view, so a declaration detail the portal cannot show (e.g. an empty file
    // filter object) does not count as a difference; for every other declaration this is the declared fingerprint.
    const declaredAsExported = canonicalOfExported(exportedPolicyOf(policy), policy.name);
    const exportedCanonical = canonicalOfExported(found, policy.name);
    const exportedFingerprint = fingerprint(exportedCanonical);
    if (fingerprint(declaredAsExported) === exportedFingerprint) return { status: "matches", ...base };
    const differences = differingFields(declaredAsExported, exportedCanonical);
    return {
      status: "differs",
      ...base,
      exportedFingerprint,
      differences: differences.length > 0 ? differences : [{ field: "Declaration fingerprint", declared: base.fingerprint, exported: exportedFingerprint }],
    };
  });
  const undeclared = exported.policies
    .filter((p) => !declaredNames.has(matchKey(p.policyName)))
    .map((p) => ({ policyName: p.policyName, sessionControlType: p.sessionControlType }));
  return { declared: results, undeclared, matches: results.every((r) => r.status === "matches") && undeclared.length === 0 };
}

function differingFields(declared: CanonicalSessionPolicy, exported: CanonicalSessionPolicy): FieldDifference[] {
  const before = portalFields(exportedPolicyOf(declared));
  const after = portalFields(exportedPolicyOf(exported));
  return [...before.keys()]
    .filter((field) => before.get(field) !== after.get(field))
    .map((field) => ({ field, declared: before.get(field)!, exported: after.get(field)! }));
}

const NO_FILTER = "no filter";
const NOT_APPLICABLE = "not applicable";

/**
 * Every portal field of a policy with its value in the portal's words, always the same fields in the same order,
 * so two policies compare field by field. Lists come canonical (sorted), so their order never shows as a change.
 */
function portalFields(p: ExportedSessionPolicy): Map<string, string> {
  const a = p.activityFilters ?? {};
  const f = p.fileFilters ?? {};
  const i = p.inspectionMethod;
  const action = p.actions;
  const filter = (x: { operator: string; values: readonly string[] } | undefined): string => (x ? `${x.operator} ${x.values.join(" or ")}` : NO_FILTER);
  const uninspectable = i && "filesThatCannotBeInspected" in i ? i.filesThatCannotBeInspected : NOT_APPLICABLE;
  const blockMessage =
    action?.action === "Block" || action?.action === "Protect" ? (action.customBlockMessage ?? "cleared (default block message)") : NOT_APPLICABLE;
  return new Map([
    ["Policy name", p.policyName],
    ["Description", p.description || "empty"],
    ["Policy severity", p.policySeverity],
    ["Category", p.category],
    ["Session control type", p.sessionControlType],
    ["Device › Tag", filter(a.deviceTag)],
    ["IP address › Category", filter(a.ipAddressCategory)],
    ["IP address › Raw IP address", filter(a.rawIpAddress)],
    ["Location", filter(a.location)],
    ["Registered ISP", filter(a.registeredIsp)],
    ["User › From group", filter(a.userFromGroup)],
    ["App", a.app ? `equals ${a.app.join(" or ")}` : "no filter (every app routed by conditional access)"],
    ["Activity type", a.activityType ? `equals ${a.activityType.join(" or ")}` : NO_FILTER],
    ["Sensitivity label", filter(f.sensitivityLabel)],
    ["Extension", filter(f.extension)],
    ["File name › contains", f.fileNameContains ? f.fileNameContains.join(" or ") : NO_FILTER],
    ["Inspection method", i?.method ?? NOT_APPLICABLE],
    ["Sensitive information type", i && "sensitiveInformationTypes" in i ? i.sensitiveInformationTypes.join(", ") : NOT_APPLICABLE],
    ["Include files that match a custom expression", i && "customExpression" in i ? i.customExpression : NOT_APPLICABLE],
    ["Files that cannot be inspected", uninspectable],
    ["Actions", action?.action ?? NO_ACTIONS],
    ["Apply sensitivity label", action?.action === "Protect" ? action.applySensitivityLabel : NOT_APPLICABLE],
    [
      "Block download of any file that is unsupported by native protection or where native protection is unsuccessful",
      action?.action === "Protect" ? (action.blockUnprotectableFiles ? "selected" : "cleared") : NOT_APPLICABLE,
    ],
    ["Customize block message", blockMessage],
    ["Create an alert for each matching event with the policy's severity", p.alerts?.createAlert ? "selected" : "cleared"],
    ["Daily alert limit", p.alerts?.createAlert ? String(p.alerts.dailyAlertLimit ?? NOT_APPLICABLE) : NOT_APPLICABLE],
    ["Send alert as email", p.alerts?.createAlert ? (p.alerts.sendAlertAsEmail?.join(", ") ?? "no email") : NOT_APPLICABLE],
  ]);
}

/** The check as Markdown: per declared policy matches / differs (each field, declared vs export) / missing, then the undeclared ones. */
export function renderSessionPolicyCheck(stack: string, source: string, check: SessionPolicyCheck): string {
  const out = [
    `# Session-policy check for tenant stack \`${stack}\``,
    "",
    `Declaration compared with the export ${md(source)}: policies matched by policy name (case and surrounding spaces ignored), list order ignored.`,
    "",
  ];
  if (check.declared.length === 0) out.push("This tenant declares no session policies.");
  for (const r of check.declared) {
    const title = `**${md(r.policyName)}** (\`${r.name}\`)`;
    if (r.status === "matches") out.push(`- ✅ ${title} matches (fingerprint \`${r.fingerprint}\`)`);
    else if (r.status === "missing") out.push(`- ❌ ${title} is missing from the export (declared fingerprint \`${r.fingerprint}\`)`);
    else {
      out.push(`- ❌ ${title} differs (declared fingerprint \`${r.fingerprint}\`, export \`${r.exportedFingerprint}\`):`);
      for (const d of r.differences) out.push(`  - **${md(d.field)}**: declared “${md(d.declared)}”, export “${md(d.exported)}”`);
    }
  }
  for (const u of check.undeclared) out.push(`- ❌ **${md(u.policyName)}** (${md(u.sessionControlType)}) is in the export but not declared`);
  const count = (status: DeclaredPolicyCheck["status"]): number => check.declared.filter((r) => r.status === status).length;
  out.push(
    "",
    check.matches
      ? "**Result:** the portal matches the declaration."
      : `**Result:** the portal does not match the declaration: ${count("matches")} of ${check.declared.length} declared ${check.declared.length === 1 ? "policy matches" : "policies match"}, ` +
          `${count("differs")} ${count("differs") === 1 ? "differs" : "differ"}, ${count("missing")} missing, ${check.undeclared.length} not declared.`,
    "",
  );
  return out.join("\n");
}

/** Removes keys whose value is undefined, so written JSON and compared values have no empty slots. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
