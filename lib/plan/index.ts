// The offline plan and the reviewer's diff: `import { recordPlan, diffPlans } from "m365-baseline/plan"`.
export { recordPlan, Plan, PlannedResource, RecordOptions, readStackConfig, SECRET_MARKER, UNKNOWN_MARKER } from "./record";
export { locateProgram, ProgramLocation } from "./program";
export { diffPlans, PlanDiff, ResourceChange, FieldChange, hasChanges } from "./diff";
export { renderPlanMarkdown } from "./markdown";
export { renderDiffMarkdown } from "./diff-markdown";
export { defaultDescribers } from "./registry";
export { readPlanFile } from "./schema";
