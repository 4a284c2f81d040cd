// The Exchange Online admin API client (InvokeCommand) and its error mapping, shared by every area that manages
// Exchange objects (rooms today; mail protection next).
export * from "./client";
export * from "./query";
export * from "./presets";
