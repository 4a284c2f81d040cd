/**
 * The example tenant stacks this repository ships. Tests name them explicitly rather than walking
 * stacks/registry.ts: a user who scaffolds a tenant (`npx m365-baseline new-tenant northwind`) has a registered
 * stack full of placeholders until they fill it in, and that must not break `npm test` for the rest of the project.
 */
export const EXAMPLE_STACKS = ["contoso-hybrid", "fabrikam-cloud"] as const;
