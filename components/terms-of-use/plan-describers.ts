import type { DescriberRegistry, ResourceDescriber, ResourcePair } from "../../lib/plan/describers";
import { Fact, scalar, set, yesNo } from "../../lib/plan/facts";
import type { Risk } from "../../lib/plan/risks";
import { LEGACY_DYNAMIC_TYPE, TOKENS } from "../../lib/managed/tokens";
import type { AgreementFileInput, AgreementInputs as AgreementModel } from "./model";
import { SERVICE_SIGN_IN } from "../../lib/graph/sign-in";
import type { Connection } from "../../lib/graph/connection";

/**
 * The agreement's inputs as the plan records them (never PDF bytes: name, size, SHA-256 only), typed from the
 * provider's own input model so a renamed field breaks the build instead of silently vanishing from plans.
 */
type AgreementInputs = Partial<Omit<AgreementModel, "files" | "connection">> & { files?: readonly AgreementFileInput[]; connection?: Partial<Connection> };

/** Plans and diffs describe an agreement in the portal's words (loaded by lib/plan/registry.ts). */
const agreement: ResourceDescriber = {
  kind: "Terms of use",
  plural: "Terms of use",
  order: 5,
  title: (r) => String((r.inputs as AgreementInputs).displayName ?? r.name),
  facts: (r) => agreementFacts(r.inputs as AgreementInputs),
  risks: agreementRisks,
};

export const describers: DescriberRegistry = {
  [TOKENS.agreement]: agreement,
  // Plans recorded before the agreement had its own token.
  [`m365-baseline:termsofuse:TermsOfUse/${LEGACY_DYNAMIC_TYPE}`]: agreement,
  [TOKENS.termsOfUseComponent]: { kind: "Terms of use component", hidden: true, facts: () => [] },
};

function agreementFacts(a: AgreementInputs): Fact[] {
  const files = a.files ?? [];
  return [
    ...scalar("name", a.displayName),
    ...scalar("require users to expand the terms of use", yesNo(a.isViewingBeforeAcceptanceRequired)),
    ...scalar("require users to consent on every device", yesNo(a.isPerDeviceAcceptanceRequired)),
    ...scalar("require re-acceptance every", a.userReacceptRequiredFrequency ?? "never"),
    ...scalar("expire consents", a.termsExpiration ? `from ${a.termsExpiration.startDateTime}, every ${a.termsExpiration.frequency}` : "never"),
    ...set(
      "languages",
      files.map((f) => `${f.language}${f.isDefault ? " (default)" : ""}`),
    ),
    // One fact per language, keyed by language, so a changed PDF shows as that language's new version.
    ...files.flatMap((f) =>
      scalar(
        `${f.language} PDF`,
        `${f.fileName} "${f.displayName}", ${f.size} bytes, sha256 ${f.sha256.slice(0, 12)}…${f.majorVersion ? ", major version (everyone accepts again)" : ""}`,
        `file:${f.language}`,
      ),
    ),
    ...scalar("when removed from the program", a.allowDeletion ? "deleted, with every acceptance record" : "kept in the tenant, unmanaged"),
    ...(a.allowReplacementDestroyingAcceptances
      ? [{ key: "replacement", label: "replacement allowed", value: "yes: a change Graph cannot apply in place deletes every acceptance record", warn: true }]
      : []),
    ...scalar("adopted agreement", a.adoptAgreementId ?? undefined),
    // Who can apply a change: Graph takes no app-only token for terms of use, so CI's identity cannot.
    ...scalar("applied with", `${SERVICE_SIGN_IN.termsOfUse.signsInAs}${a.connection?.credential ? `, credential ${a.connection.credential}` : ""}`),
  ];
}

function agreementRisks(pair: ResourcePair): Risk[] {
  const base = pair.base?.inputs as AgreementInputs | undefined;
  const head = pair.head?.inputs as AgreementInputs | undefined;
  if (!base || !head) return [];
  const name = pair.head!.name;
  const risks: Risk[] = [];
  if (!base.allowReplacementDestroyingAcceptances && head.allowReplacementDestroyingAcceptances) {
    risks.push({
      kind: "terms-of-use-replacement-allowed",
      resource: name,
      message: `terms of use "${name}" may now be replaced, which deletes every user's acceptance record`,
    });
  }
  if (!base.allowDeletion && head.allowDeletion) {
    risks.push({
      kind: "terms-of-use-deletion-allowed",
      resource: name,
      message: `terms of use "${name}" will now be deleted, with every acceptance record, when it leaves the program`,
    });
  }
  risks.push(...acceptanceRelaxed(name, base, head), ...majorVersions(name, base, head));
  return risks;
}

/** Acceptance requirements loosened: users read less, accept once for every device, or accept again less often. */
function acceptanceRelaxed(name: string, base: AgreementInputs, head: AgreementInputs): Risk[] {
  const reasons: string[] = [];
  if (base.isViewingBeforeAcceptanceRequired && !head.isViewingBeforeAcceptanceRequired) reasons.push("users may accept without opening the terms");
  if (base.isPerDeviceAcceptanceRequired && !head.isPerDeviceAcceptanceRequired) reasons.push("one acceptance now covers every device");
  if (base.userReacceptRequiredFrequency && !head.userReacceptRequiredFrequency) reasons.push("re-acceptance no longer required");
  if (base.termsExpiration && !head.termsExpiration) reasons.push("consents no longer expire");
  return reasons.length ? [{ kind: "terms-of-use-relaxed", severity: "medium", resource: name, message: `terms of use ${name}: ${reasons.join("; ")}` }] : [];
}

/** A new major version of a language's PDF: every user of that language must accept again at next sign-in. */
function majorVersions(name: string, base: AgreementInputs, head: AgreementInputs): Risk[] {
  const before = new Map((base.files ?? []).map((f) => [f.language, f.sha256]));
  return (head.files ?? [])
    .filter((f) => f.majorVersion && before.has(f.language) && before.get(f.language) !== f.sha256)
    .map((f) => ({
      kind: "terms-of-use-major-version",
      severity: "medium" as const,
      resource: name,
      message: `terms of use ${name}: a major version of the ${f.language} PDF: everyone reading it in ${f.language} must accept again at next sign-in`,
    }));
}
