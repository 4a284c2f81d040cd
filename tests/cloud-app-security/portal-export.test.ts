import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runRunbook } from "../../cli/runbook";
import { canonicalSessionPolicy, fingerprint } from "../../components/cloud-app-security";
import { checkSessionPolicyExport, parseSessionPolicyExport, SessionPolicyCheck, SessionPolicyExport } from "../../components/cloud-app-security/portal-export";
import { CONTOSO_SESSION_POLICIES } from "../../stacks/contoso-hybrid/session-control";
import { captureIo } from "../cli/temp-project";

const ROOT = path.resolve(__dirname, "..", "..");
const DECLARED = CONTOSO_SESSION_POLICIES.map(canonicalSessionPolicy);
const BLOCK_NAME = "Block downloads to devices neither domain-joined nor compliant";
const PROTECT_NAME = "Protect Project X-Ray documents downloaded to non-domain-joined devices";
const BLOCK_MESSAGE =
  "Downloads are blocked on devices that are not compliant with Contoso policy. Enrol this device in Intune (Company Portal) or use the file in the browser.";

/**
 * What an administrator writes after applying Contoso's runbook: written by hand from the scenario in
 * stacks/contoso-hybrid/session-control.ts and the portal's labels, not produced by the code under test. Policies
 * in logical-name order and lists in the canonical order, so it is also what `runbook --json` must write.
 */
function contosoExport(): SessionPolicyExport {
  return {
    format: "m365-baseline session-policy export v1",
    stack: "contoso-hybrid",
    policies: [
      {
        policyName: BLOCK_NAME,
        description: "Files can be read in the browser but not downloaded on devices that are neither hybrid joined nor reported compliant by Intune.",
        policySeverity: "Medium",
        category: "DLP",
        sessionControlType: "Control file download (with inspection)",
        activityFilters: {
          deviceTag: { operator: "does not equal", values: ["Microsoft Entra hybrid joined", "Intune compliant"] },
          app: ["Microsoft Exchange Online"],
        },
        inspectionMethod: { method: "None" },
        actions: { action: "Block", customBlockMessage: BLOCK_MESSAGE },
        alerts: { createAlert: false },
      },
      {
        policyName: PROTECT_NAME,
        description: "Documents that mention Project X-Ray leave Exchange Online only with the Highly Confidential label, which encrypts them.",
        policySeverity: "High",
        category: "DLP",
        sessionControlType: "Control file download (with inspection)",
        activityFilters: {
          deviceTag: { operator: "does not equal", values: ["Microsoft Entra hybrid joined"] },
          app: ["Microsoft Exchange Online"],
        },
        inspectionMethod: { method: "Built-in DLP", customExpression: "Project X-Ray", filesThatCannotBeInspected: "Block" },
        actions: {
          action: "Protect",
          applySensitivityLabel: "Highly Confidential - Project X-Ray",
          blockUnprotectableFiles: true,
          customBlockMessage: "This Project X-Ray file cannot be protected for download on this device. Open it in the browser, or use a Contoso-joined PC.",
        },
        alerts: { createAlert: true, dailyAlertLimit: 5 },
      },
    ],
  };
}

/** The Contoso export with the named policy replaced (or removed, with `undefined`). */
function withPolicy(name: string, replace: (p: SessionPolicyExport["policies"][number]) => SessionPolicyExport["policies"][number] | undefined) {
  const e = contosoExport();
  return { ...e, policies: e.policies.flatMap((p) => (p.policyName === name ? (replace(p) ?? []) : [p])) };
}

function check(exported: SessionPolicyExport): SessionPolicyCheck {
  return checkSessionPolicyExport(DECLARED, parseSessionPolicyExport(JSON.parse(JSON.stringify(exported)), "export.json"));
}

function statusOf(result: SessionPolicyCheck): Record<string, string> {
  return Object.fromEntries(result.declared.map((r) => [r.name, r.status]));
}

describe("session-policy export check (pure)", () => {
  it("a hand-written export of what the runbook says matches, with the runbook's fingerprints", () => {
    const result = check(contosoExport());
    expect(result.matches).to.equal(true);
    expect(statusOf(result)).to.deep.equal({ "block-downloads-noncompliant": "matches", "protect-project-xray-downloads": "matches" });
    expect(result.undeclared).to.deep.equal([]);
    const fingerprints = Object.fromEntries(result.declared.map((r) => [r.name, r.fingerprint]));
    for (const p of DECLARED) expect(fingerprints[p.name]).to.equal(fingerprint(p));
  });

  it("order never matters: policies and device tags shuffled (a tag twice), a policy name with spaces around it", () => {
    const e = contosoExport();
    const [block, protect] = e.policies;
    const shuffled: SessionPolicyExport = {
      ...e,
      policies: [
        { ...protect, policyName: `  ${PROTECT_NAME}  ` },
        {
          ...block,
          activityFilters: {
            deviceTag: { operator: "does not equal", values: ["Intune compliant", "Microsoft Entra hybrid joined", "Intune compliant"] },
            app: ["Microsoft Exchange Online"],
          },
        },
      ],
    };
    expect(check(shuffled).matches).to.equal(true);
  });

  it("apps and user groups compare as sets, apps by portal name or client ID", () => {
    const declared = canonicalSessionPolicy({
      name: "monitor-finance",
      displayName: "Monitor finance sessions",
      severity: "low",
      controlType: "monitorOnly",
      activities: { userGroups: { operator: "equals", groups: ["Finance", "Auditors"] }, apps: ["Exchange Online", "SharePoint Online", "Microsoft Teams"] },
    });
    const exported: SessionPolicyExport = {
      format: "m365-baseline session-policy export v1",
      policies: [
        {
          policyName: "Monitor finance sessions",
          policySeverity: "Low",
          category: "DLP",
          sessionControlType: "Monitor only",
          activityFilters: {
            userFromGroup: { operator: "equals", values: ["Auditors", "Finance"] },
            app: ["Microsoft Teams", "00000003-0000-0FF1-CE00-000000000000", "Microsoft Exchange Online"],
          },
        },
      ],
    };
    expect(checkSessionPolicyExport([declared], exported).matches).to.equal(true);
    const withoutTeams = {
      ...exported,
      policies: [{ ...exported.policies[0], activityFilters: { app: ["Microsoft Exchange Online", "Microsoft SharePoint Online"] } }],
    };
    const result = checkSessionPolicyExport([declared], withoutTeams).declared[0];
    expect(result.status === "differs" && result.differences).to.deep.equal([
      { field: "User › From group", declared: "equals Auditors or Finance", exported: "no filter" },
      {
        field: "App",
        declared: "equals Microsoft Exchange Online or Microsoft SharePoint Online or Microsoft Teams",
        exported: "equals Microsoft Exchange Online or Microsoft SharePoint Online",
      },
    ]);
  });

  it('"Monitor only" where the declaration blocks is a difference, each portal field named with both values', () => {
    const monitorOnly = withPolicy(BLOCK_NAME, (p) => ({ ...p, sessionControlType: "Monitor only", inspectionMethod: undefined, actions: undefined }));
    const result = check(monitorOnly);
    expect(result.matches).to.equal(false);
    expect(statusOf(result)).to.deep.equal({ "block-downloads-noncompliant": "differs", "protect-project-xray-downloads": "matches" });
    const differs = result.declared.find((r) => r.name === "block-downloads-noncompliant")!;
    if (differs.status !== "differs") throw new Error("expected a difference");
    expect(differs.differences).to.deep.include.members([
      { field: "Session control type", declared: "Control file download (with inspection)", exported: "Monitor only" },
      { field: "Actions", declared: "Block", exported: "none (Monitor only has no actions)" },
      { field: "Customize block message", declared: BLOCK_MESSAGE, exported: "not applicable" },
    ]);
    expect(differs.differences.map((d) => d.field)).to.not.include("Device › Tag");
    expect(differs.exportedFingerprint).to.not.equal(differs.fingerprint);
  });

  it('"Test" where the declaration blocks names the Actions field', () => {
    const result = check(withPolicy(BLOCK_NAME, (p) => ({ ...p, actions: { action: "Test" } })));
    const differs = result.declared.find((r) => r.name === "block-downloads-noncompliant")!;
    expect(differs.status === "differs" && differs.differences).to.deep.equal([
      { field: "Actions", declared: "Block", exported: "Test" },
      { field: "Customize block message", declared: BLOCK_MESSAGE, exported: "not applicable" },
    ]);
  });

  it("a policy name in another case is matched, and reported as the one field that differs", () => {
    const result = check(withPolicy(BLOCK_NAME, (p) => ({ ...p, policyName: BLOCK_NAME.toUpperCase() })));
    const differs = result.declared.find((r) => r.name === "block-downloads-noncompliant")!;
    expect(differs.status === "differs" && differs.differences).to.deep.equal([
      { field: "Policy name", declared: BLOCK_NAME, exported: BLOCK_NAME.toUpperCase() },
    ]);
    expect(result.undeclared).to.deep.equal([]);
  });

  it("a declared policy the export does not have is missing", () => {
    const result = check(withPolicy(PROTECT_NAME, () => undefined));
    expect(result.matches).to.equal(false);
    expect(statusOf(result)).to.deep.equal({ "block-downloads-noncompliant": "matches", "protect-project-xray-downloads": "missing" });
  });

  it("a policy in the export that nothing declares is listed, and the check fails", () => {
    const e = contosoExport();
    const extra: SessionPolicyExport = {
      ...e,
      policies: [
        ...e.policies,
        {
          policyName: "Block printing on unmanaged devices",
          policySeverity: "Low",
          category: "DLP",
          sessionControlType: "Block activities",
          activityFilters: { activityType: ["Print"] },
          actions: { action: "Block" },
        },
      ],
    };
    const result = check(extra);
    expect(statusOf(result)).to.deep.equal({ "block-downloads-noncompliant": "matches", "protect-project-xray-downloads": "matches" });
    expect(result.undeclared).to.deep.equal([{ policyName: "Block printing on unmanaged devices", sessionControlType: "Block activities" }]);
    expect(result.matches).to.equal(false);
  });
});

describe("session-policy export shape (zod)", () => {
  const parse = (raw: unknown) => () => parseSessionPolicyExport(raw, "portal-export.json");

  it("names the file, each JSON path with its policy, and what is allowed there", () => {
    const e = contosoExport() as unknown as { policies: Record<string, unknown>[] };
    e.policies[0] = { ...e.policies[0], sessionControlType: "Control file download", actions: { action: "Monitor only" } };
    e.policies[1] = { ...e.policies[1], policyname: "typo" };
    expect(parse(e))
      .to.throw("portal-export.json")
      .with.property("message")
      .that.contains(
        `policies[0].sessionControlType (policy "${BLOCK_NAME}"): Invalid option: expected one of "Monitor only"|"Control file download (with inspection)"`,
      )
      .and.contains(
        'policies[0].actions.action (policy "Block downloads to devices neither domain-joined nor compliant"): expected "Test", "Block" or "Protect"',
      )
      .and.contains('set sessionControlType to "Monitor only" and leave actions out')
      .and.contains(
        'policies[1] (policy "Protect Project X-Ray documents downloaded to non-domain-joined devices"): unknown key "policyname"; allowed: policyName,',
      );
  });

  it("rejects another file's JSON (a plan) by its format marker, and an action missing where the control type needs one", () => {
    expect(parse({ stack: "contoso-hybrid", project: "m365-baseline", resources: [] }))
      .to.throw('format: must be "m365-baseline session-policy export v1"')
      .with.property("message")
      .that.contains('(root): unknown keys "project", "resources"; allowed: format, stack, policies');
    const noAction = withPolicy(BLOCK_NAME, (p) => ({ ...p, actions: undefined }));
    expect(parse(noAction)).to.throw('policies[0].actions (policy "Block downloads to devices neither domain-joined nor compliant"): is missing');
  });

  it("rejects two policies with the same name, which the portal does not allow", () => {
    const e = contosoExport();
    expect(parse({ ...e, policies: [...e.policies, { ...e.policies[0], policyName: BLOCK_NAME.toLowerCase() }] })).to.throw("policies[2].policyName (policy");
  });
});

describe("runbook --check and --json (CLI handler, contoso-hybrid)", () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const writeJson = (name: string, value: unknown): string => {
    fs.writeFileSync(file(name), JSON.stringify(value, null, 2));
    return file(name);
  };
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-check-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--json writes the declaration as exactly the hand-written export; --check of it exits 0", async () => {
    const { io, stdout } = captureIo();
    await runRunbook({ stack: "contoso-hybrid", root: ROOT, json: file("declared.json") }, io);
    expect(stdout()).to.equal(""); // like `plan --json`: a file asked for, nothing on stdout
    expect(JSON.parse(fs.readFileSync(file("declared.json"), "utf8"))).to.deep.equal(contosoExport());
    const checked = captureIo();
    await runRunbook({ stack: "contoso-hybrid", root: ROOT, check: writeJson("portal.json", contosoExport()) }, checked.io);
    expect(checked.io.exitCode).to.equal(0);
    expect(checked.stdout()).to.contain("**Result:** the portal matches the declaration.");
  });

  it("--check exits 3 on drift and reports every finding, to --out when given", async () => {
    const drifted = withPolicy(BLOCK_NAME, (p) => ({ ...p, sessionControlType: "Monitor only", inspectionMethod: undefined, actions: undefined }));
    drifted.policies.push({ policyName: "Legacy monitor", policySeverity: "Low", category: "DLP", sessionControlType: "Monitor only" });
    const { io, stdout } = captureIo();
    await runRunbook({ stack: "contoso-hybrid", root: ROOT, check: writeJson("drift.json", drifted), out: file("report.md") }, io);
    expect(io.exitCode).to.equal(3);
    expect(stdout()).to.equal("");
    expect(fs.readFileSync(file("report.md"), "utf8"))
      .to.contain(`❌ **${BLOCK_NAME}** (\`block-downloads-noncompliant\`) differs`)
      .and.contain("**Actions**: declared “Block”, export “none (Monitor only has no actions)”")
      .and.contain("**Session control type**: declared “Control file download (with inspection)”, export “Monitor only”")
      .and.contain("✅ **Protect Project X-Ray documents downloaded to non-domain-joined devices**")
      .and.contain("❌ **Legacy monitor** (Monitor only) is in the export but not declared")
      .and.contain("1 of 2 declared policies match, 1 differs, 0 missing, 1 not declared");
  });

  it("bad input fails before the stack is recorded, naming the file: unreadable, not JSON, wrong shape, another stack", async () => {
    const run = (check: string) => runRunbook({ stack: "contoso-hybrid", root: ROOT, check }, captureIo().io);
    const failure = async (check: string): Promise<string> => {
      try {
        await run(check);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error(`${check} was accepted`);
    };
    expect(await failure(file("absent.json")))
      .to.contain("absent.json")
      .and.contain("ENOENT");
    fs.writeFileSync(file("truncated.json"), '{"format": "m365-baseline session-policy export v1", "policies": [');
    expect(await failure(file("truncated.json")))
      .to.contain(`session-policy export ${file("truncated.json")} is not JSON`)
      .and.contain("npx m365-baseline runbook --stack contoso-hybrid --json");
    const wrongShape = writeJson("wrong-shape.json", {
      format: "m365-baseline session-policy export v1",
      policies: [{ policyName: "x", policySeverity: "Severe" }],
    });
    expect(await failure(wrongShape))
      .to.contain(wrongShape)
      .and.contain('policies[0].policySeverity (policy "x"): Invalid option: expected one of "Low"|"Medium"|"High"')
      .and.contain("policies[0].category");
    const otherStack = writeJson("fabrikam.json", { ...contosoExport(), stack: "fabrikam-cloud" });
    expect(await failure(otherStack)).to.contain('is of stack "fabrikam-cloud", not "contoso-hybrid"');
  });
});
