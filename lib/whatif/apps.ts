import { WELL_KNOWN_APPLICATIONS } from "../entra/well-known";

/**
 * Which applications belong to the two app groups a policy can target by keyword, each member with its source.
 * Sources: Microsoft Entra "Apps included in Conditional Access Office 365 app suite"
 * (https://learn.microsoft.com/entra/identity/conditional-access/reference-office-365-application-contents) and
 * "Conditional Access target resources: Microsoft Admin Portals"
 * (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps); IDs as listed in
 * ../shared/reference/facts.md. Only members whose application IDs are stable first-party IDs are listed; an app
 * missing here is treated as outside the group, which can only make the what-if *under*-report an Office365 policy.
 */
export const OFFICE365_APPS: Readonly<Record<string, string>> = {
  "Exchange Online": WELL_KNOWN_APPLICATIONS["Exchange Online"],
  "SharePoint Online": WELL_KNOWN_APPLICATIONS["SharePoint Online"],
  // "Microsoft Teams Services" (cc15fd57-…) and the Teams client (1fec8e78-…) are both in the suite.
  "Microsoft Teams": WELL_KNOWN_APPLICATIONS["Microsoft Teams"],
  "Microsoft Teams (client)": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
  "Microsoft Forms": "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87",
  "Office.com": "4b233688-031c-404b-9a80-a4f3f2351f90",
  "Skype for Business Online": "00000004-0000-0ff1-ce00-000000000000",
  "Office 365 Yammer": "00000005-0000-0ff1-ce00-000000000000",
};

/**
 * Admin portals have no single application ID a sign-in carries; the what-if uses this stand-in for "any
 * Microsoft admin portal" (Azure portal, Entra, Microsoft 365, Exchange, Intune, Defender, Purview, Teams admin).
 */
export const ADMIN_PORTAL_APP = "MicrosoftAdminPortals";
export const AZURE_PORTAL_APP = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
/**
 * "Windows Azure Service Management API": a policy naming it covers the Azure portal, Azure Resource Manager, Azure
 * CLI and PowerShell among others (Microsoft Entra, "Conditional Access: target resources", Windows Azure Service
 * Management API). So a sign-in to the Azure portal is covered by a policy that names either.
 */
export const AZURE_SERVICE_MANAGEMENT_API = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
const ADMIN_PORTAL_APPS = new Set([ADMIN_PORTAL_APP.toLowerCase(), AZURE_PORTAL_APP]);
/** Apps whose sign-ins a policy on another ID covers: app → the IDs that cover it. */
const COVERED_BY: ReadonlyMap<string, readonly string[]> = new Map([[AZURE_PORTAL_APP, [AZURE_SERVICE_MANAGEMENT_API]]]);

/** Stand-in for "a cloud app no policy names": what `All` means to a reviewer. */
export const OTHER_APP = "any-other-cloud-app";

const OFFICE365_IDS = new Set(Object.values(OFFICE365_APPS));

/**
 * Whether a policy's application list (include or exclude) covers the signed-in app: `All`, `None`, the two app
 * groups, or app IDs (case-insensitive). Precomputed per policy: keywords become flags, IDs a set.
 */
export function appSetMatcher(policyValues: readonly string[]): (app: string) => boolean {
  // Keywords compare case-insensitively: `all` or `office365` in an export means what `All` and `Office365` mean.
  const values = policyValues.map((v) => v.toLowerCase());
  const ids = new Set(values.filter((v) => !["all", "none", "office365", "microsoftadminportals"].includes(v)));
  const all = values.includes("all");
  const office365 = values.includes("office365");
  const portals = values.includes("microsoftadminportals");
  return (app) =>
    all ||
    ids.has(app) ||
    (office365 && OFFICE365_IDS.has(app)) ||
    (portals && ADMIN_PORTAL_APPS.has(app)) ||
    (COVERED_BY.get(app) ?? []).some((id) => ids.has(id));
}

/** Canonical form of an app a sign-in names (application IDs compare case-insensitively). */
export function canonicalApp(app: string): string {
  return app.toLowerCase();
}

/**
 * The apps a persona matrix should try for a set of policies: every app a policy names, the members of each
 * group a policy names, and one app nobody names (so `All` is exercised).
 */
export function appsToTry(namedValues: Iterable<string>): string[] {
  const apps = new Set<string>([OTHER_APP]);
  for (const v of namedValues) {
    if (v === "All" || v === "None") continue;
    if (v === "Office365") Object.values(OFFICE365_APPS).forEach((id) => apps.add(id));
    else if (v === "MicrosoftAdminPortals") apps.add(ADMIN_PORTAL_APP);
    else {
      apps.add(v.toLowerCase());
      // The apps a named ID covers are tried too (a policy on the service management API reaches the Azure portal).
      for (const [app, coveredBy] of COVERED_BY) if (coveredBy.includes(v.toLowerCase())) apps.add(app);
    }
  }
  return [...apps].sort();
}
