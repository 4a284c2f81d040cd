import { expect } from "chai";
import { SessionPolicyDefinition, validateSessionControl, validateSessionPolicy } from "../../components/cloud-app-security";
import { subnetRule } from "../../components/cloud-app-security/payload";
import { validateIpRanges } from "../../components/cloud-app-security/validate";
import { limitWebAccessFromUnmanagedDevices, PolicyDefinition, routeUnmanagedBrowserSessionsToDefender } from "../../components/conditional-access";
import { ProblemList, ValidationError } from "../../lib/problems";
import { testTenant } from "../support/tenant";

const tenant = testTenant();
const PREFIX = "tenant test-tenant › session policy p1 › ";

function blockDownloads(overrides: Partial<SessionPolicyDefinition> = {}): SessionPolicyDefinition {
  return {
    name: "p1",
    severity: "medium",
    controlType: "controlFileDownload",
    activities: { deviceTags: { operator: "doesNotEqual", tags: ["intuneCompliant"] } },
    action: { kind: "block", customBlockMessage: "Use a compliant device." },
    ...overrides,
  };
}

/** Problems for one policy, as "path: problem" lines. */
function problemsOf(def: SessionPolicyDefinition): string[] {
  const problems = new ProblemList();
  validateSessionPolicy(def, tenant, problems);
  return problems.all.map((p) => `${p.path.join(" › ")}: ${p.problem}`);
}

function chainProblems(conditionalAccess: PolicyDefinition[], sessionPolicies: SessionPolicyDefinition[]): string[] {
  const problems = new ProblemList();
  validateSessionControl({ conditionalAccess, sessionPolicies }, tenant, problems);
  return problems.all.map((p) => `${p.path.join(" › ")}: ${p.problem}${p.allowed ? ` [${p.allowed}]` : ""}`);
}

describe("session policy validation (portal rules)", () => {
  it("accepts the block-download policy as declared", () => {
    expect(problemsOf(blockDownloads())).to.deep.equal([]);
  });

  it("requires a sensitivity label for Protect", () => {
    const def = blockDownloads({ action: { kind: "protect", sensitivityLabel: "  " } });
    expect(problemsOf(def)).to.deep.equal([`${PREFIX}action.sensitivityLabel: "Protect" needs the sensitivity label to apply`]);
  });

  it("allows Protect only with Control file download", () => {
    const def = blockDownloads({ controlType: "controlFileUpload", action: { kind: "protect", sensitivityLabel: "Confidential" } });
    expect(problemsOf(def)).to.deep.equal([
      `${PREFIX}action: "Protect" applies a sensitivity label on download, so it needs "Control file download (with inspection)", not controlFileUpload`,
    ]);
  });

  it("limits the custom block message and rejects a blank one", () => {
    expect(problemsOf(blockDownloads({ action: { kind: "block", customBlockMessage: "x".repeat(501) } }))).to.deep.equal([
      `${PREFIX}action.customBlockMessage: is 501 characters long`,
    ]);
    expect(problemsOf(blockDownloads({ action: { kind: "block", customBlockMessage: " " } }))).to.deep.equal([`${PREFIX}action.customBlockMessage: is blank`]);
    expect(problemsOf(blockDownloads({ action: { kind: "block", customBlockMessage: "x".repeat(500) } }))).to.deep.equal([]);
  });

  it("flags a block message that can never be shown", () => {
    const def = blockDownloads({ action: { kind: "protect", sensitivityLabel: "Confidential", blockUnprotectableFiles: false, customBlockMessage: "Sorry" } });
    expect(problemsOf(def)).to.deep.equal([
      `${PREFIX}action.customBlockMessage: is never shown: files that cannot be protected are allowed (blockUnprotectableFiles is false)`,
    ]);
  });

  it("gives Monitor only no actions, file filters or inspection", () => {
    const def = blockDownloads({
      controlType: "monitorOnly",
      files: { extensions: { operator: "equals", extensions: ["docx"] } },
      contentInspection: { method: "malwareDetection" },
    });
    expect(problemsOf(def)).to.deep.equal([
      `${PREFIX}files: file filters apply only to file download and file upload control, not to monitorOnly`,
      `${PREFIX}contentInspection: content inspection applies only to file download and file upload control, not to monitorOnly`,
      `${PREFIX}action: "Monitor only" has no actions, so it cannot block`,
    ]);
  });

  it("needs activity types for Block activities, and allows them only there", () => {
    expect(problemsOf(blockDownloads({ controlType: "blockActivities" }))).to.deep.equal([
      `${PREFIX}activities.activityTypes: the "Block activities" control type needs the activities to block`,
    ]);
    const withTypes = blockDownloads({ activities: { activityTypes: ["print"] } });
    expect(problemsOf(withTypes)).to.deep.equal([
      `${PREFIX}activities.activityTypes: the portal offers the Activity type filter only with "Block activities", not with controlFileDownload`,
    ]);
    expect(problemsOf(blockDownloads({ controlType: "blockActivities", activities: { activityTypes: ["print", "copy"] } }))).to.deep.equal([]);
  });

  it("checks filter values: device tags, CIDR ranges, countries, apps, operators", () => {
    const def = blockDownloads({
      activities: {
        deviceTags: { operator: "doesNotEqual", tags: ["domainJoined" as never] },
        ipRanges: { operator: "equals", cidrs: ["203.0.113.0/24", "203.0.113.0"] },
        locations: { operator: "is" as never, countries: ["nl"] },
        apps: ["All", "Dropbox"],
      },
    });
    expect(problemsOf(def)).to.deep.equal([
      `${PREFIX}activities.deviceTags.tags[0]: "domainJoined" is not accepted by the portal`,
      `${PREFIX}activities.ipRanges.cidrs[1]: "203.0.113.0" is not a CIDR range`,
      `${PREFIX}activities.locations.operator: "is" is not accepted by the portal`,
      `${PREFIX}activities.locations.countries[0]: "nl" is not a country code`,
      `${PREFIX}activities.apps[0]: "All" is not an app Conditional Access App Control can proxy`,
      `${PREFIX}activities.apps[1]: "Dropbox" is not an app Conditional Access App Control can proxy`,
    ]);
  });

  it("rejects an empty filter and an empty inspection", () => {
    const def = blockDownloads({
      activities: { deviceTags: { operator: "equals", tags: [] } },
      contentInspection: { method: "dataClassificationService", sensitiveInformationTypes: [] },
    });
    expect(problemsOf(def)).to.deep.equal([
      `${PREFIX}activities.deviceTags: is empty`,
      `${PREFIX}contentInspection.sensitiveInformationTypes: Data Classification Service needs at least one sensitive information type`,
    ]);
    expect(problemsOf(blockDownloads({ contentInspection: { method: "customExpression", expression: "" } }))).to.deep.equal([
      `${PREFIX}contentInspection.expression: is blank`,
    ]);
  });

  it("checks severity, control type, logical name and alerts", () => {
    const def = {
      ...blockDownloads(),
      name: "bad name",
      severity: "critical",
      alerts: { enabled: false, dailyLimit: 0, emailRecipients: ["soc"] },
    } as unknown as SessionPolicyDefinition;
    const prefix = "tenant test-tenant › session policy bad name › ";
    expect(problemsOf(def)).to.deep.equal([
      `${prefix}name: "bad name" is not a usable logical name`,
      `${prefix}severity: "critical" is not accepted by the portal`,
      `${prefix}alerts.dailyLimit: 0 is not a daily alert limit`,
      `${prefix}alerts.enabled: alert settings are given but alerts are off`,
      `${prefix}alerts.emailRecipients[0]: "soc" is not an email address`,
    ]);
    expect(problemsOf({ ...blockDownloads(), controlType: "proxyAll" } as unknown as SessionPolicyDefinition)).to.deep.equal([
      `${PREFIX}controlType: "proxyAll" is not accepted by the portal`,
    ]);
  });
});

describe("session control chain validation", () => {
  const route = (apps: string[] = ["Office365"]): PolicyDefinition =>
    routeUnmanagedBrowserSessionsToDefender("mcasConfigured", { applications: { include: apps } });

  it('requires a session policy covering each app routed with "mcasConfigured"', () => {
    expect(chainProblems([route(["Office365"])], [])).to.have.length(1);
    const [problem] = chainProblems([route(["Office365"])], []);
    expect(problem).to.equal(
      'tenant test-tenant › policy CA006-Global-Office365-UnmanagedBrowser-DefenderSessionControl › session.cloudAppSecurity: "mcasConfigured" (Use custom policy) routes Office365 to Defender for Cloud Apps, but no declared session policy covers Office365, so its sessions would only be proxied, never controlled [a session policy whose activities.apps includes Office365 (or has no app filter), or "monitorOnly" / "blockDownloads"]',
    );
  });

  it("counts a policy with no app filter, the same app by ID, or Office365 for a member app as covering", () => {
    expect(chainProblems([route(["Office365", "Exchange Online"])], [blockDownloads()])).to.deep.equal([]);
    expect(chainProblems([route(["Exchange Online"])], [blockDownloads({ activities: { apps: ["00000002-0000-0ff1-ce00-000000000000"] } })])).to.deep.equal([]);
    expect(chainProblems([route(["SharePoint Online"])], [blockDownloads({ activities: { apps: ["Office365"] } })])).to.deep.equal([]);
  });

  it("does not count a policy for one member app as covering the whole Office365 group", () => {
    const problems = chainProblems([route(["Office365"])], [blockDownloads({ activities: { apps: ["Exchange Online"] } })]);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain("no declared session policy covers Office365");
  });

  it("needs no session policy for monitorOnly and blockDownloads", () => {
    expect(chainProblems([routeUnmanagedBrowserSessionsToDefender("monitorOnly")], [])).to.deep.equal([]);
    expect(chainProblems([routeUnmanagedBrowserSessionsToDefender("blockDownloads")], [])).to.deep.equal([]);
  });

  it("rejects session policies when nothing routes sessions to App Control", () => {
    expect(chainProblems([limitWebAccessFromUnmanagedDevices()], [blockDownloads()])).to.deep.equal([
      "tenant test-tenant › session policies: no conditional-access policy routes sessions to Conditional Access App Control, so these session policies would never apply [a policy from routeUnmanagedBrowserSessionsToDefender (session.cloudAppSecurity) in conditionalAccess]",
    ]);
  });

  it("reuses the conditional-access rule that App Control needs browser-only client types", () => {
    const problems = chainProblems(
      [routeUnmanagedBrowserSessionsToDefender("monitorOnly", { clientAppTypes: ["browser", "mobileAppsAndDesktopClients"] })],
      [],
    );
    expect(problems).to.deep.equal([
      'tenant test-tenant › policy CA006-Global-Office365-UnmanagedBrowser-DefenderSessionControl › clientAppTypes: Conditional Access App Control only applies to browser sessions, so a Defender for Cloud Apps session control needs clientAppTypes ["browser"] [["browser"]]',
    ]);
  });

  it("rejects duplicate session policy names and display names", () => {
    const problems = chainProblems([route()], [blockDownloads(), blockDownloads(), blockDownloads({ name: "p2", displayName: "P1" })]);
    expect(problems).to.deep.equal(
      [
        "tenant test-tenant › session policy p1 › name: is declared more than once",
        'tenant test-tenant › session policy display name "p1": is used by more than one session policy; the portal requires unique policy names',
      ].map((p, i) => (i === 0 ? `${p} [one session policy per logical name]` : `${p} [a unique displayName per session policy]`)),
    );
  });

  it("allows app enforced restrictions only for Exchange Online and SharePoint Online", () => {
    expect(chainProblems([limitWebAccessFromUnmanagedDevices()], [])).to.deep.equal([]);
    const teams = limitWebAccessFromUnmanagedDevices({ applications: { include: ["Exchange Online", "Microsoft Teams"] } });
    expect(chainProblems([teams], [])).to.deep.equal([
      "tenant test-tenant › policy CA007-Global-ExchangeSharePoint-Browser-AppEnforcedRestrictions › applications.include[1]: app enforced restrictions are honoured only by Exchange Online and SharePoint Online; Microsoft Teams would ignore them [Exchange Online, SharePoint Online, or Office365]",
    ]);
  });
});

describe("IP range validation", () => {
  const withApi = testTenant({ defenderForCloudApps: { apiUrl: "https://contoso.eu2.portal.cloudappsecurity.com/api" } });

  it("rejects a bad CIDR, an empty range and duplicate portal names, naming the tenant and range", () => {
    const problems = new ProblemList();
    validateIpRanges(
      [
        { name: "HQ", subnets: ["10.0.0.0/8", "10.0.0.1/40"] },
        { name: "Empty", subnets: [] },
        { name: "hq2", displayName: "hq", subnets: ["10.0.0.0/8"] },
      ],
      withApi,
      problems,
    );
    expect(problems.all.map((p) => `${p.path.join(" › ")}: ${p.problem}`)).to.deep.equal([
      'tenant test-tenant › IP range HQ › subnets[1]: "10.0.0.1/40" is not a CIDR range',
      "tenant test-tenant › IP range Empty › subnets: is empty",
      "tenant test-tenant › IP range hq › displayName: is declared more than once; the API requires unique names",
    ]);
  });

  it("keeps the logical name apart from the portal name, so renaming the portal name is an in-place update", () => {
    const problems = new ProblemList();
    validateIpRanges([{ name: "Contoso offices", subnets: ["10.0.0.0/8"] }], withApi, problems);
    expect(problems.all.map((p) => `${p.path.join(" › ")}: ${p.problem}`)).to.deep.equal([
      'tenant test-tenant › IP range Contoso offices › name: "Contoso offices" is not a usable logical name',
    ]);
    expect(subnetRule({ name: "contoso-offices", displayName: "Contoso offices", subnets: ["10.0.0.0/8"] }).name).to.equal("Contoso offices");
  });

  it("needs the tenant's Defender for Cloud Apps API URL to manage ranges", () => {
    const problems = new ProblemList();
    validateIpRanges([{ name: "HQ", subnets: ["10.0.0.0/8"] }], tenant, problems);
    expect(() => problems.throwIfAny()).to.throw(
      ValidationError,
      "tenant test-tenant › defenderForCloudApps.apiUrl: IP ranges are declared but the tenant settings do not say where its Defender for Cloud Apps API is",
    );
  });

  it("the tenant setting accepts only an https API URL", () => {
    expect(() => testTenant({ defenderForCloudApps: { apiUrl: "http://contoso.portal.cloudappsecurity.com/api" } })).to.throw(
      ValidationError,
      "m365-baseline:tenant.defenderForCloudApps.apiUrl: must be the https API URL",
    );
    expect(() => testTenant({ defenderForCloudApps: { apiUrl: "https://x.portal.cloudappsecurity.com/api", token: "x" } as never })).to.throw(
      ValidationError,
      "defenderForCloudApps",
    );
  });
});
