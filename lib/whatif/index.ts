// The offline what-if evaluator and the lockout check: `import { Evaluator, findLockouts } from "m365-baseline/whatif"`.
export { Evaluator, Evaluation, Outcome, Requirement, SessionOutcome, Verdict, verdict, unmetRequirements } from "./evaluate";
export {
  CaPolicy,
  NamedLocationModel,
  SignIn,
  SignInUser,
  SignInServicePrincipal,
  ClientApp,
  CLIENT_APPS,
  Platform,
  PLATFORMS,
  Risk,
  DeviceProperties,
} from "./model";
export { Persona, CustomPersona, buildPersonas, parseCustomPersonas, PERSONAS_CONFIG_KEY } from "./personas";
export { LockoutContext, LockoutFinding, findLockouts, lockoutFindings, assertNoLockout, assertSourceHasNoLockout } from "./lockout";
export { PolicySource, fromPlan } from "./sources";
export { runMatrix, MatrixCell, DEVICE_STATES } from "./matrix";
export { renderWhatifMarkdown } from "./render";
export { compileDeviceFilter, DeviceFilterSyntaxError } from "./device-filter";
