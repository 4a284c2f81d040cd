import * as path from "node:path";
import { DescriberRegistry, loadDescribers } from "./describers";

/** Describers for every resource type the library declares: each component area's own `plan-describers` file. */
export function defaultDescribers(componentsDir: string = path.join(__dirname, "..", "..", "components")): DescriberRegistry {
  return loadDescribers({}, componentsDir);
}
