import type { TenantSettings } from "../../lib/tenant-settings";
import type { PolicyArgs } from "../../lib/whatif/model";
import { known, LocationArgs, namedLocationModel, PolicySource } from "../../lib/whatif/sources";
import type { NamedLocationDefinition, PolicyDefinition } from "./definition";
import { buildNamedLocationArgs } from "./payload";
import { buildPolicyPayload } from "./payload";

/**
 * Definitions as the what-if evaluator reads them, through the same payload builder the components use (built-in
 * exclusions included), without declaring anything. Lives with the component because it needs its payload; the
 * evaluator in lib/whatif knows only policies' Graph shape.
 */
export function fromDefinitions(
  tenant: TenantSettings,
  definitions: readonly PolicyDefinition[],
  locations: readonly NamedLocationDefinition[] = [],
): PolicySource {
  const policies = definitions.map((def) => ({ name: def.name, args: known(buildPolicyPayload(def, tenant).args) as PolicyArgs }));
  const namedLocations = locations.map((l) => namedLocationModel([l.name], known(buildNamedLocationArgs(l)) as LocationArgs));
  return { policies, namedLocations };
}
