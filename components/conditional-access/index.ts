export * from "./definition";
export * from "./catalog";
export { buildNamedLocationArgs, buildPolicyPayload, PolicyPayload, PolicyReview } from "./payload";
export { validatePolicy, validatePolicySet } from "./validate";
export * from "../../lib/entra/well-known";
export { ConditionalAccessPolicy, ConditionalAccessPolicyArgs } from "./policy";
export { ConditionalAccessPolicySet, ConditionalAccessPolicySetArgs } from "./policy-set";
export { fromDefinitions } from "./whatif-source";
export { definitionFromGraph, DiscoveredPolicy, logicalNameOf, namedLocationFromGraph } from "./from-graph";
