import { createContext, DescriberRegistry, describerFor, factsOf, ResourceDescriber } from "./describers";
import { Fact, showValue } from "./facts";
import { mockId, Plan, PlannedResource } from "./record";
import { defaultDescribers } from "./registry";

interface Section {
  readonly describer: ResourceDescriber;
  readonly resources: PlannedResource[];
}

/**
 * The reviewer's view of a plan: one section per resource (policies first), in words, names before GUIDs.
 * Resources with nothing to say (components without inputs) are listed by name at the end.
 */
export function renderPlanMarkdown(plan: Plan, registry: DescriberRegistry = defaultDescribers()): string {
  const context = createContext(plan, mockId);
  const sections = new Map<string, Section>();
  const bare: PlannedResource[] = [];
  for (const resource of plan.resources) {
    const describer = describerFor(registry, resource, context);
    if (describer.hidden) continue;
    if (factsOf(describer, resource, context).length === 0) {
      bare.push(resource);
      continue;
    }
    const section = sections.get(describer.kind) ?? { describer, resources: [] };
    section.resources.push(resource);
    sections.set(describer.kind, section);
  }

  const out = [`# Plan for tenant stack \`${plan.stack}\``, "", `${plan.resources.length} resources declared.`, ""];
  const ordered = [...sections.values()].sort(
    (a, b) => (a.describer.order ?? Infinity) - (b.describer.order ?? Infinity) || a.describer.kind.localeCompare(b.describer.kind),
  );
  for (const { describer, resources } of ordered) {
    out.push(`## ${describer.plural ?? plural(describer.kind)} (${resources.length})`, "");
    const titled = resources.map((r) => ({ r, title: describer.title?.(r, context) ?? `${r.name} (\`${r.type}\`)` }));
    for (const { r, title } of titled.sort((a, b) => a.title.localeCompare(b.title))) {
      out.push(`### ${title}`, "");
      const summary = describer.summary?.(r, context);
      if (summary) out.push(`_${summary}_`, "");
      const facts = factsOf(describer, r, context).filter((f) => !describer.shownInHeading?.includes(f.key));
      out.push(...facts.map(factLine), "");
    }
  }
  if (bare.length > 0) {
    out.push(`## Other resources (${bare.length})`, "");
    out.push(...bare.map((r) => `- \`${r.name}\` (\`${r.type}\`)`).sort(), "");
  }
  return out.join("\n");
}

function plural(noun: string): string {
  return /[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`;
}

export function factLine(fact: Fact): string {
  return `- ${fact.warn ? "⚠️ " : ""}**${fact.label}:** ${showValue(fact.value)}`;
}
