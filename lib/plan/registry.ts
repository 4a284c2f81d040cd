import * as path from "node:path";
import { DescriberRegistry, loadDescribers } from "./describers";
import { conditionalAccessDescribers } from "./describers/conditional-access";

/** Describers for every resource type the library declares: built-in ones plus each component area's own. */
export function defaultDescribers(componentsDir: string = path.join(__dirname, "..", "..", "components")): DescriberRegistry {
  return loadDescribers(conditionalAccessDescribers, componentsDir);
}
