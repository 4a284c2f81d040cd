import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Replay } from "../support/workflows/replay";
import type { JobRun } from "../support/workflows/runner";
import { DirectoryFixture, registerDirectoryRoutes } from "../support/graph-routes/directory";
import { registerExchangeRoutes } from "../support/graph-routes/exchange";
import { registerMailCmdlets } from "../support/graph-routes/exchange-mail";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { builtInRoleDefinitions } from "../support/built-in-roles";

// From the example stacks' settings: fabrikam names its own CI app registration, contoso relies on its environment.
const FABRIKAM = { stack: "fabrikam-cloud", tenantId: "fe6c9c0d-894f-462a-b6e2-f8771e971a32", clientId: "4c7b2a9e-1d3f-4e5a-8b6c-9d0e1f2a3b4c" };
const CONTOSO = { stack: "contoso-hybrid", tenantId: "e009f16d-210b-47fd-82d7-ca168b105268", clientId: "" };
const ENVIRONMENT_CLIENT_ID = "0d4a1c2b-3e5f-4a6b-8c7d-9e0f1a2b3c4d";
const VARS = { PULUMI_ORG: "contoso-consulting", AZURE_CLIENT_ID: ENVIRONMENT_CLIENT_ID };

/**
 * Issue 11: one job per tenant stack, from the stack registry, each signed in with its own credential. Replays
 * preview.yml (pull request) and deploy.yml (push to main): the matrix job, then each tenant's job; the Pulumi and
 * Azure actions are not run, the inputs they receive are asserted.
 */
describe("preview and deploy workflows: one job per affected tenant, each with its own credential", function () {
  this.timeout(180_000);
  let replay: Replay;
  before(async () => (replay = await Replay.create()));
  after(() => replay.remove());

  async function preview(head: string): Promise<{ matrix: unknown; jobs: JobRun[] }> {
    const event = { pull_request: { number: 9, base: { sha: replay.base }, head: { sha: head, repo: { full_name: "contoso/tenants" } } } };
    const github = { event, sha: head, event_name: "pull_request" };
    const [pick] = await replay.run("preview.yml", "changed-stacks", github, {}, VARS);
    expect(pick.status, pick.steps.map((s) => s.output).join("\n")).to.equal("success");
    const jobs = await replay.run("preview.yml", "preview", github, { "changed-stacks": pick }, VARS);
    return { matrix: JSON.parse(pick.outputs.matrix), jobs };
  }
  const input = (job: JobRun, action: string, name: string) => job.steps.find((s) => s.uses?.startsWith(action))?.inputs?.[name];

  it("a change to one tenant's stack previews that tenant only, signed in as its own app registration", async () => {
    const head = replay.commit("fabrikam: MFA for admins only", (dir) => {
      const file = path.join(dir, "stacks", "fabrikam-cloud", "index.ts");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('{ state: "enabled" }', '{ state: "reportOnly" }'));
    });
    const { matrix, jobs } = await preview(head);
    expect(matrix).to.deep.equal([FABRIKAM]);
    expect(jobs).to.have.length(1);
    const [job] = jobs;
    expect(job.status, job.steps.map((s) => s.output).join("\n")).to.equal("success");
    expect(job.environment).to.equal("fabrikam-cloud");
    expect(job.steps.find((s) => s.name.startsWith("Offline plan"))?.exitCode).to.equal(0);
    expect(input(job, "azure/login", "client-id")).to.equal(FABRIKAM.clientId);
    expect(input(job, "azure/login", "tenant-id")).to.equal(FABRIKAM.tenantId);
    expect(input(job, "pulumi/actions", "stack-name")).to.equal("contoso-consulting/m365-baseline/fabrikam-cloud");
    expect(input(job, "pulumi/actions", "command")).to.equal("preview");
  });

  it("a change to shared code previews every tenant; a tenant without its own client ID uses its environment's", async () => {
    const head = replay.commit("shared: comment in a component", (dir) => {
      fs.appendFileSync(path.join(dir, "components", "conditional-access", "catalog.ts"), "\n// reviewed\n");
    });
    const { matrix, jobs } = await preview(head);
    expect(matrix).to.deep.equal([CONTOSO, FABRIKAM]);
    expect(jobs.map((j) => j.status)).to.deep.equal(["success", "success"]);
    expect(jobs.map((j) => input(j, "azure/login", "client-id"))).to.deep.equal([ENVIRONMENT_CLIENT_ID, FABRIKAM.clientId]);
  });

  it("a documentation-only change previews nothing: the tenant jobs are skipped", async () => {
    const head = replay.commit("docs", (dir) => fs.appendFileSync(path.join(dir, "README.md"), "\nMore words.\n"));
    const { matrix, jobs } = await preview(head);
    expect(matrix).to.deep.equal([]);
    expect(jobs.map((j) => j.status)).to.deep.equal(["skipped"]);
  });

  it("a pull request from a fork gets no OIDC token: no tenant job runs", async () => {
    const event = { pull_request: { number: 10, base: { sha: replay.base }, head: { sha: replay.base, repo: { full_name: "someone/fork" } } } };
    const github = { event, sha: replay.base, event_name: "pull_request" };
    const [pick] = await replay.run("preview.yml", "changed-stacks", github, {}, VARS);
    const jobs = await replay.run("preview.yml", "preview", github, { "changed-stacks": pick }, VARS);
    expect([pick.status, ...jobs.map((j) => j.status)]).to.deep.equal(["skipped", "skipped"]);
  });

  describe("deploy after a push to main", () => {
    let server: GraphServer;
    let directory: DirectoryFixture;
    beforeEach(async () => {
      server = await startGraphServer();
      directory = fabrikamDirectory();
      registerDirectoryRoutes(server, directory);
      // Fabrikam's Exchange as its stack expects it: fabrikam.com accepted, the Standard preset turned on once.
      const mail = registerMailCmdlets(registerExchangeRoutes(server));
      mail.acceptedDomains.push({ DomainName: "fabrikam.com", DomainType: "Authoritative", Default: false });
      mail.presetsTurnedOnInPortal.add("Standard");
    });
    afterEach(() => server.close());

    /** What the tenant's sign-in needs in CI, pointed at the local server: the app's secret stands in for OIDC. */
    const signIn = (): Record<string, string> => ({
      AZURE_CLIENT_ID: FABRIKAM.clientId,
      AZURE_CLIENT_SECRET: "local-test-secret-not-real",
      AZURE_TENANT_ID: FABRIKAM.tenantId,
      M365_BASELINE_GRAPH_URL: server.url,
      M365_BASELINE_AUTHORITY_HOST: server.url,
      M365_BASELINE_EXCHANGE_URL: server.url,
      // Offline: SPF includes are not resolved (tests/preflight resolves them through a fake).
      M365_BASELINE_NO_DNS: "1",
    });

    // One push, one matrix: both cases deploy the same head, so its matrix job is replayed once.
    let push: { github: Record<string, unknown>; pick: JobRun } | undefined;
    async function deploy(): Promise<JobRun[]> {
      if (!push) {
        const head = replay.commit("fabrikam: settings", (dir) => {
          const file = path.join(dir, "Pulumi.fabrikam-cloud.yaml");
          fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("displayName: Fabrikam Inc", "displayName: Fabrikam Incorporated"));
        });
        const github = { event: { before: replay.base }, sha: head, event_name: "push", ref: "refs/heads/main" };
        const [pick] = await replay.run("deploy.yml", "changed-stacks", github, {}, VARS);
        push = { github, pick };
      }
      return replay.run("deploy.yml", "deploy", push.github, { "changed-stacks": push.pick }, VARS, signIn());
    }

    it("`pulumi up` per affected tenant, in that tenant's environment, after its preflight passes", async () => {
      const jobs = await deploy();
      expect(jobs.map((j) => [j.environment, j.status, input(j, "pulumi/actions", "command"), input(j, "azure/login", "client-id")])).to.deep.equal([
        ["fabrikam-cloud", "success", "up", FABRIKAM.clientId],
      ]);
      const preflight = jobs[0].steps.find((s) => s.name.startsWith("Preflight"))!;
      expect(preflight.output).to.match(/checks: 0 blocking/);
    });

    it("a tenant whose break-glass account is gone: preflight stops the job before `pulumi up`", async () => {
      directory.users.length = 0;
      const [job] = await deploy();
      expect(job.status).to.equal("failure");
      const preflight = job.steps.find((s) => s.name.startsWith("Preflight"))!;
      expect(preflight.exitCode).to.equal(2);
      expect(preflight.output).to.contain("005d2727-e3b6-4f65-916c-903833df96b9");
      expect(job.steps.find((s) => s.uses?.startsWith("pulumi/actions"))!.skipped, "pulumi up never runs").to.equal(true);
    });
  });
});

/** Fabrikam's directory as its stack describes it (Pulumi.fabrikam-cloud.yaml), with Microsoft's built-in role IDs. */
function fabrikamDirectory(): DirectoryFixture {
  return {
    organization: { id: FABRIKAM.tenantId, displayName: "Fabrikam Inc" },
    users: [
      {
        id: "005d2727-e3b6-4f65-916c-903833df96b9",
        displayName: "Emergency admin",
        userPrincipalName: "emergency-admin@fabrikam.onmicrosoft.com",
        accountEnabled: true,
      },
    ],
    groups: [],
    servicePrincipals: [],
    // Both default sync roles: this tenant knows the unverified one too.
    roleDefinitions: [
      ...builtInRoleDefinitions(),
      { id: "a92aed5d-d78a-4d16-b381-09adb37eb3b0", displayName: "On Premises Directory Sync Account", isBuiltIn: true },
    ],
    roleAssignments: [],
    subscribedSkus: [],
    namedLocations: [],
    policies: [],
    agreements: [],
  };
}
