import { CmdletCall, CmdletResult, ExchangeTarget, invokeCmdlet, isNotFound } from "./client";

/** One cmdlet about `subject` ("DKIM for contoso.com"), named in any error. */
export function runCmdlet(target: ExchangeTarget, subject: string, call: CmdletCall): Promise<CmdletResult> {
  return invokeCmdlet(target, call, { subject });
}

/**
 * The object a Get- cmdlet returns for `-Identity`, or undefined when Exchange says it does not exist. Only an object
 * whose Name, Identity or domain is that identity counts: several Get- cmdlets document that an identity they cannot
 * find returns *every* object (Get-DkimSigningConfig: "$null or a non-existent value for the Identity parameter
 * returns all objects"), and another object must never be read, adopted or changed as this one.
 */
export async function getOne(target: ExchangeTarget, subject: string, call: CmdletCall): Promise<Record<string, unknown> | undefined> {
  const identity = typeof call.Parameters.Identity === "string" ? call.Parameters.Identity.trim().toLowerCase() : undefined;
  let found: readonly Record<string, unknown>[];
  try {
    found = (await runCmdlet(target, subject, call)).value;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  if (identity === undefined) return found[0];
  return found.find((o) =>
    ["Name", "Identity", "Domain", "DomainName"].some(
      (key) =>
        String(o[key] ?? "")
          .trim()
          .toLowerCase() === identity,
    ),
  );
}

/** A multi-valued property as Exchange returns it (null, one value or an array), lower-cased, unique and sorted. */
export function listOf(value: unknown): string[] {
  const values = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return [...new Set(values.map((v) => String(v).trim().toLowerCase()))].sort();
}
