import { cliCommand } from "../command";
import * as fs from "node:fs";
import { z } from "zod";
import type { Plan } from "./record";

/** The shape `plan --json` writes; `diff` checks its inputs against it before comparing anything. */
export const planSchema = z.object({
  stack: z.string().min(1),
  project: z.string(),
  resources: z.array(
    z.object({
      urn: z.string().startsWith("urn:pulumi:", { message: 'must be a Pulumi URN starting with "urn:pulumi:"' }),
      type: z.string().min(1),
      name: z.string().min(1),
      parent: z.string().nullable(),
      inputs: z.record(z.string(), z.unknown()),
      adopts: z.string().optional(),
    }),
  ),
});

/** Reads and checks a plan file; errors name the file and the field, never echo the file's content. */
export function readPlanFile(file: string): Plan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read plan ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`plan ${file} is not JSON (${(err as Error).message}); write it with \`${cliCommand(`plan --stack <tenant> --json ${file}`)}\``);
  }
  const result = planSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`plan ${file} is not a plan written by \`${cliCommand("plan --json")}\`: ${problems}`);
  }
  return result.data;
}
