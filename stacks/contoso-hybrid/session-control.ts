import {
  CloudAppSecuritySession,
  DefenderIntegrations,
  DefenderIntegrationsDefinition,
  IpRangeDefinition,
  SessionPolicyDefinition,
} from "../../components/cloud-app-security";
import { inState, PolicyDefinition, routeUnmanagedExchangeOnlineBrowserSessionsToDefender } from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";

/**
 * Contoso's two seed scenarios for browser sessions to Exchange Online (Outlook on the web) from unmanaged devices,
 * both "Control file download (with inspection)" session policies: Project X-Ray documents downloaded to a device
 * that is not domain-joined get the project's sensitivity label (files that cannot be labelled are blocked); any
 * download to a device that is neither domain-joined nor compliant is blocked with a custom message.
 */
export const CONTOSO_SESSION_POLICIES: readonly SessionPolicyDefinition[] = [
  {
    name: "protect-project-xray-downloads",
    displayName: "Protect Project X-Ray documents downloaded to non-domain-joined devices",
    description: "Documents that mention Project X-Ray leave Exchange Online only with the Highly Confidential label, which encrypts them.",
    severity: "high",
    category: "dlp",
    controlType: "controlFileDownload",
    activities: { deviceTags: { operator: "doesNotEqual", tags: ["hybridJoined"] }, apps: ["Exchange Online"] },
    contentInspection: { method: "customExpression", expression: "Project X-Ray", uninspectableFiles: "block" },
    action: {
      kind: "protect",
      sensitivityLabel: "Highly Confidential - Project X-Ray",
      blockUnprotectableFiles: true,
      customBlockMessage: "This Project X-Ray file cannot be protected for download on this device. Open it in the browser, or use a Contoso-joined PC.",
    },
    alerts: { enabled: true, dailyLimit: 5 },
  },
  {
    name: "block-downloads-noncompliant",
    displayName: "Block downloads to devices neither domain-joined nor compliant",
    description: "Files can be read in the browser but not downloaded on devices that are neither hybrid joined nor reported compliant by Intune.",
    severity: "medium",
    category: "dlp",
    controlType: "controlFileDownload",
    // "Does not equal" any of the tags: neither domain-joined nor compliant, on its own (not relying on the routing filter).
    activities: { deviceTags: { operator: "doesNotEqual", tags: ["intuneCompliant", "hybridJoined"] }, apps: ["Exchange Online"] },
    action: {
      kind: "block",
      customBlockMessage:
        "Downloads are blocked on devices that are not compliant with Contoso policy. Enrol this device in Intune (Company Portal) or use the file in the browser.",
    },
  },
];

/** Corporate egress ranges, so session policies and the activity log can tell office traffic apart. */
export const CONTOSO_IP_RANGES: readonly IpRangeDefinition[] = [
  { name: "contoso-offices", displayName: "Contoso offices", category: "corporate", subnets: ["203.0.113.0/24", "198.51.100.16/28"], organization: "Contoso" },
];

/**
 * The integrations Contoso's administrators switch on around session control. Contoso is hybrid: Defender for
 * Identity watches its domain controllers, so its signals belong next to the cloud ones. Defender for Endpoint
 * reports machine risk to Intune for the platforms Contoso enrols (Windows PCs, iPhones and Android phones), and
 * compliance allows at most a Low machine risk score: a device with a medium or high threat becomes noncompliant, and
 * "Require device to be marked as compliant" blocks it where a policy requires it and is enabled. CA005 (report-only
 * for now) also accepts a hybrid-joined device instead, so a compromised domain-joined PC still passes it: the plan
 * says so, for the reviewers who decide CA005's grant.
 */
export const CONTOSO_DEFENDER_INTEGRATIONS: DefenderIntegrationsDefinition = {
  defenderForIdentity: { inDefenderForCloudApps: true },
  defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["windows", "iOS", "android"], maximumMachineRiskScore: "low" },
};

/**
 * Declares Contoso's Defender for Cloud Apps session control and the integrations around it, and returns the routing policy for the tenant's
 * ConditionalAccessPolicySet (so it gets the built-in exclusions and one-at-a-time writes). The routing policy stays
 * report-only until reviewers enable it; in report-only mode sessions are not routed, so the session policies
 * apply only once it is enabled.
 */
export function contosoSessionControl(tenant: TenantSettings): PolicyDefinition[] {
  const routing = [inState("reportOnly", routeUnmanagedExchangeOnlineBrowserSessionsToDefender("mcasConfigured"))];
  new CloudAppSecuritySession("defender-session-control", {
    tenant,
    conditionalAccess: routing,
    sessionPolicies: CONTOSO_SESSION_POLICIES,
    ipRanges: CONTOSO_IP_RANGES,
  });
  new DefenderIntegrations("defender-integrations", { tenant, ...CONTOSO_DEFENDER_INTEGRATIONS });
  return routing;
}
