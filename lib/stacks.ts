import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { readStackConfig } from "./plan/record";
import { tenantSettingsFromConfig } from "./stack-config";

/** A tenant stack as CI needs it: one job per entry, signed in with the tenant's own credential. */
export interface StackEntry {
  readonly stack: string;
  readonly tenantId: string;
  /** From the tenant settings' `deployment.clientId`; empty when the stack does not name one. */
  readonly clientId: string;
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** Every tenant stack in the project: one `Pulumi.<stack>.yaml` each, sorted. */
export function stackNames(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => STACK_FILE.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The stacks with their tenant and credential, read and validated as the program reads them. */
export function stackEntries(root: string, stacks: readonly string[] = stackNames(root)): StackEntry[] {
  return stacks.map((stack) => {
    const tenant = tenantSettingsFromConfig(readStackConfig(root, stack), stack);
    return { stack, tenantId: tenant.tenantId, clientId: tenant.deployment?.clientId ?? "" };
  });
}

/**
 * Files that change what no tenant deploys: documentation, tests, benchmarks and CI definitions. Any other file
 * outside one tenant's own (its Pulumi.<stack>.yaml and stacks/<stack>/) is shared (components, lib, the baseline,
 * dependencies) and affects every tenant.
 */
const NOT_DEPLOYED = [/^docs\//, /\.md$/, /^tests\//, /^bench\//, /^\.github\//, /^\.ci\//];

/** The stacks a change since `ref` can affect (git decides what changed: committed and uncommitted). */
export function stacksChangedSince(root: string, ref: string): string[] {
  const all = stackNames(root);
  // A ref git does not know (a branch's first push reports 0000…, a shallow clone lacks history): every tenant,
  // since nothing proves a tenant unaffected.
  if (!isCommit(root, ref)) return all;
  const changed = execFileSync("git", ["diff", "--name-only", ref], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => f.length > 0);
  const own = (file: string): string | undefined => STACK_FILE.exec(file)?.[1] ?? all.find((s) => file.startsWith(`stacks/${s}/`));
  const affected = new Set<string>();
  for (const file of changed) {
    if (NOT_DEPLOYED.some((p) => p.test(file))) continue;
    const stack = own(file);
    if (stack === undefined) return all; // shared code or settings: every tenant
    if (all.includes(stack)) affected.add(stack);
  }
  return all.filter((s) => affected.has(s));
}

function isCommit(root: string, ref: string): boolean {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
