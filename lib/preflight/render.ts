import type { Finding, PreflightReport, Verdict } from "./checks";
import type { ExpectationKind } from "./expectations";

const MARK: Readonly<Record<Verdict, string>> = { ok: "✅ ok", warning: "⚠️ warning", blocking: "❌ blocking" };
const NOUN: Readonly<Record<ExpectationKind, string>> = {
  tenant: "tenant",
  access: "access",
  user: "user",
  group: "group",
  servicePrincipal: "service principal",
  role: "directory role",
  application: "application",
  namedLocation: "named location",
  licence: "licence",
  acceptedDomain: "accepted domain",
  presetRule: "preset security policy rule",
  spfRecord: "SPF record",
};

/** The report as Markdown (terminal, CI job summary, PR comment): blocking first, then warnings, then the rest. */
export function renderPreflightMarkdown(report: PreflightReport): string {
  const count = (v: Verdict): number => report.findings.filter((f) => f.verdict === v).length;
  const rank: Readonly<Record<Verdict, number>> = { blocking: 0, warning: 1, ok: 2 };
  const rows = [...report.findings].sort((a, b) => rank[a.verdict] - rank[b.verdict]);
  const lines = [
    `# Preflight for \`${report.stack}\` (tenant ${report.tenantId})`,
    "",
    `${report.findings.length} checks: ${count("blocking")} blocking, ${count("warning")} warnings.` +
      (count("blocking") > 0 ? " **Do not run `pulumi up` until the blocking findings are fixed.**" : ""),
    "",
    "| object | expected | found | verdict |",
    "|---|---|---|---|",
    ...rows.map(row),
  ];
  const notes = rows.filter((f) => f.why);
  if (notes.length > 0)
    lines.push("", "## What to do", "", ...notes.map((f) => `- **${NOUN[f.expectation.kind]} ${cell(f.expectation.id)}**: ${cell(f.why!)}`));
  return lines.join("\n") + "\n";
}

function row(f: Finding): string {
  const e = f.expectation;
  const shown = e.sources.slice(0, 2).join("; ") + (e.sources.length > 2 ? ` and ${e.sources.length - 2} more` : "");
  const expected = [e.expectedName, `named in ${shown}`].filter(Boolean).join(", ");
  return `| ${NOUN[e.kind]} \`${cell(e.id)}\` | ${cell(expected)} | ${cell(f.found)} | ${MARK[f.verdict]} |`;
}

/** Table cells: no pipes or line breaks from service text. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
