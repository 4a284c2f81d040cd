import {
  blockRoomsOutsideTrustedLocations,
  ConditionalAccessPolicySet,
  requireCompliantDeviceForRooms,
  requireTermsOfUse,
} from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { TenantOutputs } from "../registry";
import { baselinePolicies } from "../baseline";
import { contosoMailProtection } from "./mail-protection";
import { contosoRooms } from "./rooms";
import { contosoSessionControl } from "./session-control";
import { contosoTermsOfUse } from "./terms-of-use";

/** Contoso: hybrid tenant. MFA for everyone is still report-only while the helpdesk prepares users. */
export function contosoHybrid(tenant: TenantSettings): TenantOutputs {
  const terms = contosoTermsOfUse(tenant);
  const policies = [
    ...baselinePolicies({
      overrides: {
        "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice": { state: "reportOnly" },
      },
    }),
    ...contosoSessionControl(tenant),
    requireTermsOfUse([terms.agreementId]),
    // The Teams Rooms consoles get device-based controls of their own (report-only until the consoles are enrolled).
    blockRoomsOutsideTrustedLocations(tenant),
    requireCompliantDeviceForRooms(tenant),
  ];
  new ConditionalAccessPolicySet("conditional-access", {
    tenant,
    policies,
    namedLocations: [{ name: "contoso-offices", displayName: "Contoso offices", ipRanges: ["203.0.113.0/24", "198.51.100.16/28"], trusted: true }],
  });
  contosoRooms(tenant);
  const mail = contosoMailProtection(tenant);
  return { dnsRecords: mail.dnsRecords, dkimStatus: mail.dkimStatus };
}
