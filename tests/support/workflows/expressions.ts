/**
 * GitHub Actions `${{ … }}` expressions, evaluated by GitHub's own expression library (@actions/expressions, from
 * actions/languageservices), never by a hand-made reading. The library is ECMAScript-module only, so it is loaded
 * with a real dynamic import.
 */
type ExpressionsModule = typeof import("@actions/expressions");
type ExpressionData = import("@actions/expressions").data.ExpressionData;

const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<ExpressionsModule>;
let loaded: ExpressionsModule | undefined;

export async function loadExpressions(): Promise<void> {
  loaded ??= await importModule("@actions/expressions");
}

function lib(): ExpressionsModule {
  if (!loaded) throw new Error("call loadExpressions() first");
  return loaded;
}

/** The contexts a workflow can read (https://docs.github.com/actions/learn-github-actions/contexts). */
export type Contexts = Record<string, unknown>;

/** Job status functions are the runner's, not the language's (https://docs.github.com/actions/learn-github-actions/expressions#status-check-functions). */
export interface JobStatus {
  failed: boolean;
}

export function evaluate(expression: string, contexts: Contexts, status: JobStatus = { failed: false }): unknown {
  const { Lexer, Parser, Evaluator, data } = lib();
  const statusFunctions = [
    { name: "success", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(!status.failed) },
    { name: "failure", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status.failed) },
    { name: "always", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
    { name: "cancelled", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(false) },
  ];
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, Object.keys(contexts), statusFunctions).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as import("@actions/expressions").data.Dictionary;
  const result: ExpressionData = new Evaluator(parsed, context, new Map(statusFunctions.map((f) => [f.name.toLowerCase(), f]))).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer));
}

/** A string with `${{ … }}` parts replaced, as the runner does for `run:`, `with:` and `env:` values. */
export function interpolate(template: string, contexts: Contexts): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression.trim(), contexts);
    if (value === null || value === undefined) return "";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}

/** A whole value that is one `${{ … }}` keeps its type (a matrix built by fromJSON is an array, not a string). */
export function interpolateValue(value: unknown, contexts: Contexts): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(value.trim());
    return whole ? evaluate(whole[1].trim(), contexts) : interpolate(value, contexts);
  }
  if (Array.isArray(value)) return value.map((v) => interpolateValue(v, contexts));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateValue(v, contexts)]));
  return value;
}
