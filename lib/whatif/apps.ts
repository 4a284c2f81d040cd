import { WELL_KNOWN_APPLICATIONS } from "../entra/well-known";

/**
 * Which applications belong to the two app groups a policy can target by keyword. Sources: Microsoft Entra
 * "Apps included in Conditional Access Office 365 app suite" and "Conditional Access target resources: Microsoft
 * Admin Portals". Only members whose application IDs are stable first-party IDs are listed; an app missing here is
 * treated as outside the group, which can only make the what-if *under*-report an Office365-scoped policy.
 */
export const OFFICE365_APPS: Readonly<Record<string, string>> = {
  "Exchange Online": WELL_KNOWN_APPLICATIONS["Exchange Online"],
  "SharePoint Online": WELL_KNOWN_APPLICATIONS["SharePoint Online"],
  "Microsoft Teams": WELL_KNOWN_APPLICATIONS["Microsoft Teams"],
  "Skype for Business Online": "00000004-0000-0ff1-ce00-000000000000",
  "Office 365 Yammer": "00000005-0000-0ff1-ce00-000000000000",
  "Office.com": "00000006-0000-0ff1-ce00-000000000000",
};

/**
 * Admin portals have no single application ID a sign-in carries; the what-if uses this stand-in for "any
 * Microsoft admin portal" (Azure portal, Entra, Microsoft 365, Exchange, Intune, Defender, Purview, Teams admin).
 */
export const ADMIN_PORTAL_APP = "MicrosoftAdminPortals";
export const AZURE_PORTAL_APP = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
const ADMIN_PORTAL_APPS = new Set([ADMIN_PORTAL_APP.toLowerCase(), AZURE_PORTAL_APP]);

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
  return (app) => all || ids.has(app) || (office365 && OFFICE365_IDS.has(app)) || (portals && ADMIN_PORTAL_APPS.has(app));
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
    else apps.add(v.toLowerCase());
  }
  return [...apps].sort();
}
