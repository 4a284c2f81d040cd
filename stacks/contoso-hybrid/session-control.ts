import { CloudAppSecuritySession, IpRangeDefinition, SessionPolicyDefinition } from "../../components/cloud-app-security";
import { inState, PolicyDefinition, routeUnmanagedBrowserSessionsToDefender } from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";

/** Contoso's two seed scenarios for browser sessions to Office 365 from unmanaged devices. */
export const CONTOSO_SESSION_POLICIES: readonly SessionPolicyDefinition[] = [
  {
    name: "protect-project-xray-downloads",
    displayName: "Protect Project X-Ray documents downloaded to non-domain-joined devices",
    description: "Documents that mention Project X-Ray leave Office 365 only with the Highly Confidential label, which encrypts them.",
    severity: "high",
    category: "dlp",
    controlType: "controlFileDownload",
    activities: { deviceTags: { operator: "doesNotEqual", tags: ["hybridJoined"] }, apps: ["Office365"] },
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
    displayName: "Block downloads to non-compliant devices",
    description: "Files can be read in the browser but not downloaded on devices that Intune does not report as compliant.",
    severity: "medium",
    category: "dlp",
    controlType: "controlFileDownload",
    activities: { deviceTags: { operator: "doesNotEqual", tags: ["intuneCompliant"] }, apps: ["Office365"] },
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
 * Declares Contoso's Defender for Cloud Apps session control and returns the routing policy for the tenant's
 * ConditionalAccessPolicySet (so it gets the built-in exclusions and one-at-a-time writes). The routing policy stays
 * report-only until reviewers enable it; in report-only mode sessions are not routed, so the session policies
 * apply only once it is enabled.
 */
export function contosoSessionControl(tenant: TenantSettings): PolicyDefinition[] {
  const routing = [inState("reportOnly", routeUnmanagedBrowserSessionsToDefender("mcasConfigured"))];
  new CloudAppSecuritySession("defender-session-control", {
    tenant,
    conditionalAccess: routing,
    sessionPolicies: CONTOSO_SESSION_POLICIES,
    ipRanges: CONTOSO_IP_RANGES,
  });
  return routing;
}
