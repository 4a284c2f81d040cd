import { checkSignIn, Connection, connectionForService, endpointOverrides } from "../../lib/graph";
import { isGuid, ProblemList } from "../../lib/problems";
import type { TermsOfUseArgs } from "./definition";
import { AgreementFileInput, AgreementInputs, PROVIDER_VERSION } from "./model";
import { inspectPdf } from "./pdf";

/** ISO-8601 duration with at least one non-zero part (Graph's Edm.Duration, positive). */
/**
 * Graph's `Edm.Duration` as Microsoft Graph's OpenAPI description constrains it: days and time parts only
 * (`^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$`); years, months and weeks (P1Y, P1M, P1W) are
 * refused with 400, so they are refused here first. Negative durations make no sense for these settings.
 */
const GRAPH_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * Turns the author's arguments into the provider's inputs, or throws a ValidationError listing every problem
 * (stack › terms of use › field: what is wrong. Allowed: ...). Reads each PDF once, for its size and hash.
 */
export function buildAgreementInputs(name: string, args: TermsOfUseArgs, baseDir: string = process.cwd()): AgreementInputs {
  const label = `stack ${args.tenant.stack} › terms of use ${name}`;
  const problems = new ProblemList([`stack ${args.tenant.stack}`, `terms of use ${name}`]);

  if (!args.displayName?.trim()) problems.add("displayName", "is empty", "the agreement's name as administrators see it in the portal");
  if (!args.files?.length) problems.add("files", "declares no PDF", "at least one file, one of them the default");

  const files: AgreementFileInput[] = [];
  const seen = new Map<string, number>();
  (args.files ?? []).forEach((file, i) => {
    const at = `files[${i}] (${file.language || "no language"})`;
    const p = problems.under(at);
    const canonical = canonicalLanguage(file.language);
    if (!canonical) p.add("language", `"${file.language}" is not a valid language tag`, "a BCP-47 tag such as en-US, nl-NL or fr-FR");
    else if (canonical !== file.language) p.add("language", `"${file.language}" is not written in canonical form`, `"${canonical}"`);
    const key = (file.language ?? "").toLowerCase();
    if (seen.has(key)) p.add("language", `is also declared by files[${seen.get(key)}]`, "one file per language");
    else seen.set(key, i);
    if (!file.displayName?.trim()) p.add("displayName", "is empty", "the title users see for this language");
    const pdf = inspectPdf(file.path ?? "", baseDir);
    if (pdf.problem) p.add("path", pdf.problem.problem, pdf.problem.allowed);
    const isDefault = file.isDefault ?? args.files.length === 1;
    if (pdf.facts && canonical) {
      files.push({
        language: file.language,
        fileName: pdf.facts.fileName,
        displayName: file.displayName,
        isDefault,
        path: pdf.facts.path,
        sha256: pdf.facts.sha256,
        size: pdf.facts.size,
        ...(file.majorVersion ? { majorVersion: true } : {}),
      });
    }
  });
  const defaults = (args.files ?? []).filter((f) => f.isDefault ?? args.files.length === 1);
  if (args.files?.length && defaults.length !== 1) {
    problems.add(
      "files",
      `${defaults.length} files are marked isDefault${defaults.length ? ` (${defaults.map((f) => f.language).join(", ")})` : ""}`,
      "exactly one default file",
    );
  }

  if (args.reacceptanceFrequency !== undefined && !GRAPH_DURATION.test(args.reacceptanceFrequency)) {
    problems.add(
      "reacceptanceFrequency",
      `"${args.reacceptanceFrequency}" is not a duration Graph accepts`,
      "days and time parts only, e.g. P90D (90 days) or P365D (Graph refuses P1Y, P1M, P1W)",
    );
  }
  let termsExpiration: AgreementInputs["termsExpiration"] = null;
  if (args.expiry) {
    const start = Date.parse(args.expiry.startDate);
    if (Number.isNaN(start)) problems.add("expiry.startDate", `"${args.expiry.startDate}" is not a date`, "an ISO-8601 date such as 2026-01-01");
    if (!GRAPH_DURATION.test(args.expiry.frequency ?? ""))
      problems.add(
        "expiry.frequency",
        `"${args.expiry.frequency}" is not a duration Graph accepts`,
        "days and time parts only, e.g. P365D or P30D (Graph refuses P1Y, P1M, P1W)",
      );
    if (!Number.isNaN(start)) termsExpiration = { startDateTime: new Date(start).toISOString(), frequency: args.expiry.frequency };
  }
  if (args.existingAgreementId !== undefined && !isGuid(args.existingAgreementId)) {
    problems.add(
      "existingAgreementId",
      `"${args.existingAgreementId}" is not an agreement ID`,
      "the agreement's object ID (a GUID) from the portal or GET /identityGovernance/termsOfUse/agreements",
    );
  }
  checkSignIn(args.tenant, "termsOfUse", problems);
  problems.throwIfAny();

  const connection: Connection = connectionForService(args.tenant, "termsOfUse", endpointOverrides(args.endpoints));
  return {
    connection,
    label,
    displayName: args.displayName,
    isViewingBeforeAcceptanceRequired: args.requireViewingBeforeAcceptance ?? true,
    isPerDeviceAcceptanceRequired: args.requireAcceptanceOnEveryDevice ?? false,
    userReacceptRequiredFrequency: args.reacceptanceFrequency ?? null,
    termsExpiration,
    files: files.sort((a, b) => a.language.localeCompare(b.language)),
    // The component's own argument wins; otherwise the tenant's `adopt.termsOfUse` entry for this component (discover writes it).
    adoptAgreementId: args.existingAgreementId ?? args.tenant.adopt?.termsOfUse?.[name] ?? null,
    allowReplacementDestroyingAcceptances: args.allowReplacementDestroyingAcceptances ?? false,
    allowDeletion: args.allowDeletion ?? false,
    providerVersion: PROVIDER_VERSION,
  };
}

/** The canonical form of a BCP-47 tag, or undefined when it is not one. Graph wants language-REGION, e.g. en-US. */
function canonicalLanguage(tag: string | undefined): string | undefined {
  if (!tag || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}
