// The Pulumi program (Pulumi.yaml `main`): one program, one stack per customer tenant (see stacks/registry.ts).
// The library's public face is index.ts; this file is what `pulumi up` and `m365-baseline plan` run.
import { declareTenantStack } from "./stacks/program";

// The composition's outputs are the stack's outputs (`pulumi stack output dnsRecords`).
export = declareTenantStack().outputs;
