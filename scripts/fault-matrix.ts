// `npm run fault-matrix`: every managed type, every operation, every fault, through Pulumi's dynamic-provider host in
// its own process against the local service stand-ins; prints the matrix (Markdown) and exits 1 on any duplicate or
// stuck state. The same matrix runs in `npm test` (tests/managed/fault-matrix.test.ts).
import { renderMatrix, runMatrix } from "../tests/support/fault-matrix";
import { ManagedScenario, SCENARIOS } from "../tests/support/managed-scenarios";
import { ProviderHost } from "../tests/support/provider-host";

async function main(): Promise<void> {
  const scenarios: ManagedScenario[] = [];
  for (const start of SCENARIOS) scenarios.push(await start());
  const host = await ProviderHost.start();
  try {
    const cells = await runMatrix(host, scenarios);
    process.stdout.write(renderMatrix(cells));
    process.exitCode = cells.some((c) => c.duplicates > 0 || !c.recovered) ? 1 : 0;
  } finally {
    await host.stop();
    for (const s of scenarios.reverse()) await s.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
