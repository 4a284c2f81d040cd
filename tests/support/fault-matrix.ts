import { FAULTS, FaultKind, ManagedScenario, Operation, OPERATIONS } from "./managed-scenarios";
import { HostCallError, ProviderHost, Registered, registeredResources } from "./provider-host";

/**
 * One cell of the fault matrix: an operation of a managed type, driven through Pulumi's dynamic-provider host, with
 * one fault on its key request; then what the next `pulumi up` (or refresh, or destroy) would do, without faults.
 */
export interface Cell {
  readonly type: string;
  readonly operation: Operation;
  readonly fault: FaultKind;
  /** `ok`, or the first line of the error the engine would show. */
  readonly outcome: string;
  /** The next run finished the operation. */
  readonly recovered: boolean;
  /** Objects of this type on the service afterwards. */
  readonly objects: number;
  /** Objects beyond the one declared (0 after a delete). */
  readonly duplicates: number;
}

type Props = Record<string, unknown>;

export async function declaredResource(scenario: ManagedScenario): Promise<Registered> {
  const resources = await registeredResources(() => scenario.declare());
  const found = resources.find((r) => r.type === scenario.token);
  if (!found) throw new Error(`${scenario.typeName}: the program registered no ${scenario.token}`);
  return found;
}

export async function runCell(host: ProviderHost, scenario: ManagedScenario, declared: Registered, operation: Operation, fault: FaultKind): Promise<Cell> {
  scenario.clear();
  const { urn } = declared;
  const { inputs } = await host.check(urn, {}, declared.inputs);
  let state: { id: string; props: Props } | undefined;
  if (operation !== "create") {
    const created = await host.create(urn, inputs);
    state = { id: created.id, props: created.properties };
    if (operation === "update") {
      // Something to put right, seen the way `pulumi refresh` then `pulumi up` sees it.
      scenario.drift(created.id);
      state = { id: created.id, props: (await host.read(created.id, urn, created.properties)).properties };
    }
  }

  const attempt = async (): Promise<void> => {
    switch (operation) {
      case "create": {
        const created = await host.create(urn, inputs);
        state = { id: created.id, props: created.properties };
        return;
      }
      case "read":
        await host.read(state!.id, urn, state!.props);
        return;
      case "update":
        await host.update(state!.id, urn, state!.props, inputs);
        return;
      case "delete":
        await host.delete(state!.id, urn, state!.props);
    }
  };

  scenario.inject(operation, fault);
  let outcome = "ok";
  try {
    await attempt();
  } catch (err) {
    outcome = (err as Error).message.split("\n")[0].slice(0, 120);
    // What the engine records from a partial create: the object and what was done, so the next run updates it.
    const failure = err instanceof HostCallError ? err.initFailure : undefined;
    if (failure && operation === "create") state = { id: failure.id, props: failure.properties };
  }

  // The next run: `up` again (create, or update of a recorded partial create), `refresh`, or `destroy`.
  let recovered = true;
  try {
    if (operation === "create" && state) await host.update(state.id, urn, state.props, inputs);
    else await attempt();
  } catch {
    recovered = false;
  }
  const objects = scenario.objects();
  const expected = operation === "delete" ? 0 : 1;
  return { type: scenario.typeName, operation, fault, outcome, recovered, objects, duplicates: Math.max(0, objects - expected) };
}

/**
 * Every type's cells. The declarations go one after another (they share Pulumi's mock runtime); then the types run
 * side by side, as the engine runs operations on unrelated resources, each type's cells in order on its own service.
 */
export async function runMatrix(host: ProviderHost, scenarios: readonly ManagedScenario[]): Promise<Cell[]> {
  const declared: Registered[] = [];
  for (const scenario of scenarios) declared.push(await declaredResource(scenario));
  const perType = await Promise.all(
    scenarios.map(async (scenario, i) => {
      const cells: Cell[] = [];
      for (const operation of OPERATIONS) for (const fault of FAULTS) cells.push(await runCell(host, scenario, declared[i], operation, fault));
      return cells;
    }),
  );
  return perType.flat();
}

export function renderMatrix(cells: readonly Cell[]): string {
  const rows = cells.map(
    (c) =>
      `| ${c.type} | ${c.operation} | ${c.fault} | ${c.outcome.replace(/\|/g, "\\|")} | ${c.recovered ? "yes" : "**no**"} | ${c.objects} | ${c.duplicates} |`,
  );
  const duplicates = cells.reduce((n, c) => n + c.duplicates, 0);
  const stuck = cells.filter((c) => !c.recovered).length;
  return [
    "| type | operation | fault | outcome | next run finishes | objects | duplicates |",
    "|---|---|---|---|---|---:|---:|",
    ...rows,
    "",
    `${cells.length} cells: ${duplicates} duplicates, ${stuck} stuck.`,
    "",
  ].join("\n");
}
