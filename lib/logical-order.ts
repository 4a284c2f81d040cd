/**
 * Items in logical-name order. Components declare their children in this order, so reordering a stack's list
 * changes neither the plan nor the sequence in which rate-limited writes reach the service.
 */
export function byLogicalName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}
