/**
 * The entries of `next` that differ from `current` (compared as JSON, so arrays and objects by
 * value): what an update sends, leaving the rest of the record as it is.
 */
export function changedFields<T extends Record<string, unknown>>(next: T, current: Partial<T>): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (JSON.stringify(next[key] ?? null) !== JSON.stringify(current[key] ?? null)) changes[key] = next[key];
  }
  return changes;
}
