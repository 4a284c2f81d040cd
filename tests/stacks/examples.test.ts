import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as path from "node:path";
import { recordPlan } from "../../lib/plan/record";
import { EXAMPLE_STACKS } from "../support/examples";
import { parse as parseYaml } from "yaml";
import * as fs from "node:fs";

const ROOT = path.join(__dirname, "..", "..");
const CA_TYPE = TOKENS.conditionalAccessPolicy;
const SYNC_ROLES = ["d29b2b05-8046-44ba-8758-1e26182fcf32", "a92aed5d-d78a-4d16-b381-09adb37eb3b0"];

interface TenantYaml {
  config: {
    "m365-baseline:tenant": {
      directorySync?: { accounts: { objectId: string }[] };
      breakGlass: { users?: { objectId: string }[]; groups?: { objectId: string }[] };
      rooms?: { accountsGroup: { objectId: string } };
      dns?: { azureZones: { zone: string }[] };
    };
  };
}

describe("example tenant stacks", () => {
  for (const stack of EXAMPLE_STACKS) {
    describe(stack, () => {
      const settings = (parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as TenantYaml).config["m365-baseline:tenant"];

      it("plans offline: every conditional-access policy excludes its protected accounts, and mail protection is declared", async () => {
        const plan = await recordPlan({ root: ROOT, stack });
        // Issue 18: both examples declare forwarding control, DKIM/DMARC/SPF for their domains and a preset; records go
        // to Azure DNS for the stack whose zone is there (contoso), and are listed for the DNS host otherwise (fabrikam).
        const ofType = (token: string) => plan.resources.filter((r) => r.type === token);
        expect(ofType(TOKENS.forwardingDefaults), "forwarding control").to.have.length(1);
        expect(ofType(TOKENS.mailDomain).length, "mail domains").to.be.greaterThan(0);
        expect(ofType(TOKENS.presetSecurityPolicy).length, "preset security policies").to.be.greaterThan(0);
        const zones = (settings.dns?.azureZones ?? []).map((z) => z.zone);
        for (const domain of ofType(TOKENS.mailDomain)) {
          const inAzure = zones.includes(String(domain.inputs.domain));
          expect(domain.inputs.dnsHost === "external", String(domain.inputs.domain)).to.equal(!inAzure);
          const sets = ofType(TOKENS.dnsRecordSet).filter((r) => r.inputs.zoneName === domain.inputs.domain);
          expect(sets.map((r) => `${String(r.inputs.relativeRecordSetName)} ${String(r.inputs.recordType)}`).sort()).to.deep.equal(
            inAzure ? ["@ TXT", "_dmarc TXT", "selector1._domainkey CNAME", "selector2._domainkey CNAME"] : [],
          );
        }
        const policies = plan.resources.filter((r) => r.type === CA_TYPE);
        expect(policies.length).to.be.greaterThan(2);
        for (const policy of policies) {
          const users = (policy.inputs.conditions as { users: Record<string, string[] | undefined> }).users;
          expect(users.excludedRoles, policy.name).to.include.members(SYNC_ROLES);
          expect(users.excludedUsers ?? [], policy.name).to.include.members([
            ...(settings.directorySync?.accounts ?? []).map((a) => a.objectId),
            ...(settings.breakGlass.users ?? []).map((u) => u.objectId),
          ]);
          expect(users.excludedGroups ?? [], policy.name).to.include.members((settings.breakGlass.groups ?? []).map((g) => g.objectId));
          // The Teams Rooms accounts group too, except in the room policies, which include it (issue 16).
          const roomGroup = settings.rooms?.accountsGroup.objectId;
          if (roomGroup && !(users.includedGroups ?? []).includes(roomGroup)) expect(users.excludedGroups ?? [], policy.name).to.include(roomGroup);
        }
      });

      it("plans the same JSON twice", async () => {
        const first = await recordPlan({ root: ROOT, stack });
        const second = await recordPlan({ root: ROOT, stack });
        expect(JSON.stringify(second)).to.equal(JSON.stringify(first));
      });
    });
  }

  it("an unknown stack is an error that lists the known ones", async () => {
    const err = await recordPlan({ root: ROOT, stack: "contoso", config: {} }).catch((e: Error) => e);
    expect((err as Error).message).to.contain('unknown stack "contoso"');
    expect((err as Error).message).to.contain("contoso-hybrid, fabrikam-cloud");
  });

  it("bad tenant settings give a clear error and no plan", async () => {
    const config = { "m365-baseline:tenant": { displayName: "X", tenantId: "nope", breakGlass: { users: [] } } };
    const err = await recordPlan({ root: ROOT, stack: "fabrikam-cloud", config }).catch((e: Error) => e);
    expect((err as Error).message).to.contain("stack fabrikam-cloud › Pulumi.fabrikam-cloud.yaml › m365-baseline:tenant.tenantId: must be a GUID");
  });
});
