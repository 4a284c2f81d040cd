import { expect } from "chai";
import { checkSignIn, connectionForService, credentialFor } from "../../lib/graph";
import { ProblemList } from "../../lib/problems";
import { testTenant } from "../support/tenant";

const problemsFor = (overrides: Parameters<typeof testTenant>[0], service: Parameters<typeof checkSignIn>[1]): string[] => {
  const problems = new ProblemList(["tenant test-tenant"]);
  checkSignIn(testTenant(overrides), service, problems);
  return problems.all.map((p) => `${p.path.at(-1)}: ${p.problem}`);
};

/** Which sign-in each service accepts, as Microsoft documents it (lib/graph/sign-in.ts cites each page). */
describe("sign-in per service", () => {
  it("terms of use: only an administrator's delegated sign-in (Graph: 'Application: Not supported')", () => {
    for (const kind of ["azureCli", "deviceCode", "interactiveBrowser"] as const)
      expect(problemsFor({ credentials: { termsOfUse: kind } }, "termsOfUse")).to.deep.equal([]);
    for (const kind of ["environment", "workloadIdentity", "managedIdentity", "default"] as const) {
      expect(problemsFor({ credentials: { termsOfUse: kind } }, "termsOfUse")).to.have.length(1);
    }
  });

  it("rooms: the app signs in as itself for Exchange (Exchange.ManageAsApp), never an interactive user prompt", () => {
    for (const kind of ["environment", "workloadIdentity", "managedIdentity", "azureCli", "default"] as const)
      expect(problemsFor({ credentials: { rooms: kind } }, "rooms")).to.deep.equal([]);
    const [problem] = problemsFor({ credentials: { rooms: "deviceCode" } }, "rooms");
    expect(problem).to.match(/^m365-baseline:tenant\.credentials\.rooms: "deviceCode" cannot sign in to rooms/);
  });

  it("a service without its own entry uses graph.credential, and the connection carries the service's kind", () => {
    const tenant = testTenant({ graph: { cloud: "global", credential: "environment" }, credentials: { termsOfUse: "deviceCode" } });
    expect(credentialFor(tenant, "rooms")).to.deep.equal({ kind: "environment", field: "graph.credential" });
    expect(connectionForService(tenant, "termsOfUse").credential).to.equal("deviceCode");
    expect(connectionForService(tenant, "rooms").credential).to.equal("environment");
  });
});
