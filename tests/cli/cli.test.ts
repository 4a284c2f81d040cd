import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli/main";
import { createProgress } from "../../lib/plan/progress";
import { captureIo } from "./temp-project";

const ROOT = path.resolve(__dirname, "..", "..");

describe("command line: plan and diff", () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-cli-"));
    for (const stack of ["contoso-hybrid", "fabrikam-cloud"]) {
      const { io } = captureIo();
      expect(await runCli(["plan", "--stack", stack, "--root", ROOT, "--json", file(`${stack}.json`), "--markdown", file(`${stack}.md`)], io)).to.equal(0);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plan writes JSON that diff reads, and Markdown for reviewers", () => {
    const plan = JSON.parse(fs.readFileSync(file("contoso-hybrid.json"), "utf8"));
    expect(plan.stack).to.equal("contoso-hybrid");
    expect(plan.resources[0]).to.have.keys(["urn", "type", "name", "parent", "inputs"]);
    expect(fs.readFileSync(file("contoso-hybrid.md"), "utf8")).to.contain("# Plan for tenant stack `contoso-hybrid`");
  });

  it("diff exits 0 when nothing changed", async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(["diff", file("contoso-hybrid.json"), file("contoso-hybrid.json")], io)).to.equal(0);
    expect(stdout()).to.contain("No changes");
  });

  it("diff exits 1 when something changed and writes the Markdown where asked", async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(["diff", file("contoso-hybrid.json"), file("fabrikam-cloud.json"), "--markdown", file("diff.md")], io)).to.equal(1);
    expect(stdout()).to.equal("");
    expect(fs.readFileSync(file("diff.md"), "utf8"))
      .to.contain("## ⚠️ Flagged risks")
      .and.contain("state: report-only → enabled");
  });

  it("diff exits 2 on a missing or malformed plan, naming the file and what is wrong", async () => {
    fs.writeFileSync(
      file("broken.json"),
      JSON.stringify({ stack: "x", project: "p", resources: [{ urn: "nope", type: "t", name: "n", parent: null, inputs: {} }] }),
    );
    const missing = captureIo();
    expect(await runCli(["diff", file("contoso-hybrid.json"), file("absent.json")], missing.io)).to.equal(2);
    expect(missing.stderr()).to.contain("absent.json").and.contain("ENOENT");
    const broken = captureIo();
    expect(await runCli(["diff", file("broken.json"), file("contoso-hybrid.json")], broken.io)).to.equal(2);
    expect(broken.stderr()).to.contain("broken.json").and.contain("resources.0.urn").and.contain("urn:pulumi:");
  });

  it("plan exits 2 with the validation message for an unknown stack, and writes no file", async () => {
    const { io, stderr } = captureIo();
    expect(await runCli(["plan", "--stack", "northwind", "--root", ROOT, "--json", file("northwind.json")], io)).to.equal(2);
    expect(stderr()).to.contain("Pulumi.northwind.yaml").and.contain("contoso-hybrid, fabrikam-cloud");
    expect(fs.existsSync(file("northwind.json"))).to.equal(false);
  });

  it("reports progress on stderr only when it is a terminal", async () => {
    const piped = captureIo(false);
    await runCli(["plan", "--stack", "fabrikam-cloud", "--root", ROOT, "--json", file("f.json")], piped.io);
    expect(piped.stderr()).to.equal("");
    const tty = captureIo(true);
    await runCli(["plan", "--stack", "fabrikam-cloud", "--root", ROOT, "--json", file("f.json")], tty.io);
    expect(tty.stderr()).to.contain("recording stack fabrikam-cloud");
    expect(tty.stdout()).to.equal("");
  });

  it("progress writes nothing to a stream that is not a terminal", () => {
    const written: string[] = [];
    createProgress({ write: (s: string) => written.push(s) })("step");
    createProgress({ isTTY: true, write: (s: string) => written.push(s) })("shown");
    expect(written).to.deep.equal(["… shown\n"]);
  });
});
