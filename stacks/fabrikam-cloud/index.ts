import { ConditionalAccessPolicySet } from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { TenantOutputs } from "../registry";
import { baselinePolicies } from "../baseline";
import { fabrikamMailProtection } from "./mail-protection";
import { fabrikamRooms } from "./rooms";

/** Fabrikam: cloud-only tenant with MFA enforced for every user. */
export function fabrikamCloud(tenant: TenantSettings): TenantOutputs {
  const policies = baselinePolicies({
    overrides: { "CA004-Global-AllApps-RequireMFA": { state: "enabled" } },
    omit: ["CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice"],
  });
  new ConditionalAccessPolicySet("conditional-access", { tenant, policies });
  fabrikamRooms(tenant);
  const mail = fabrikamMailProtection(tenant);
  return { dnsRecords: mail.dnsRecords, dkimStatus: mail.dkimStatus };
}
