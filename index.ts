// Pulumi entry point: one program, one stack per customer tenant (see stacks/registry.ts).
import { declareTenantStack } from "./stacks/program";

declareTenantStack();
