import { CmdletCall, CmdletResult, ExchangeTarget, invokeCmdlet, isNotFound } from "./client";

/** One cmdlet about `subject` ("DKIM for contoso.com"), named in any error. */
export function runCmdlet(target: ExchangeTarget, subject: string, call: CmdletCall): Promise<CmdletResult> {
  return invokeCmdlet(target, call, { subject });
}

/** The first object a Get- cmdlet returns, or undefined when Exchange says it does not exist. */
export async function getOne(target: ExchangeTarget, subject: string, call: CmdletCall): Promise<Record<string, unknown> | undefined> {
  try {
    return (await runCmdlet(target, subject, call)).value[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A multi-valued property as Exchange returns it (null, one value or an array), lower-cased, unique and sorted. */
export function listOf(value: unknown): string[] {
  const values = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return [...new Set(values.map((v) => String(v).trim().toLowerCase()))].sort();
}
