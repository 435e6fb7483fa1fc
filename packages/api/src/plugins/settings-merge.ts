import { jsonEqual } from '@crm/plugin-sdk';
/**
 * Settings as plain JSON: a plugin's defaults, a tenant's overrides (only what differs from
 * the defaults), and the effective settings = defaults ⊕ overrides. Objects merge key by
 * key; arrays and scalars are replaced whole (a list of thresholds is one setting).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { jsonEqual };

/** defaults ⊕ overrides: objects merge recursively, anything else in overrides wins. */
export function mergeSettings(defaults: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return structuredClone(defaults);
  if (isPlainObject(defaults) && isPlainObject(overrides)) {
    const merged: Record<string, unknown> = structuredClone(defaults);
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) continue;
      merged[key] = mergeSettings(defaults[key], value);
    }
    return merged;
  }
  return structuredClone(overrides);
}

/**
 * The overrides that turn `defaults` into `settings`: only keys whose value differs, nested
 * objects reduced to their differing keys. `mergeSettings(defaults, overridesOf(settings,
 * defaults))` equals `settings` for any settings with the defaults' keys.
 */
export function overridesOf(settings: unknown, defaults: unknown): JsonObject {
  const diff = diffValue(settings, defaults);
  return isPlainObject(diff) ? diff : {};
}

function diffValue(value: unknown, base: unknown): Json | undefined {
  if (jsonEqual(value, base)) return undefined;
  if (isPlainObject(value) && isPlainObject(base)) {
    const result: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const diff = diffValue(child, base[key]);
      if (diff !== undefined) result[key] = diff;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
  return structuredClone(value) as Json;
}

export type SettingChange = { path: string; from: unknown; to: unknown };

/** Leaf-level changes between two settings objects (arrays compared whole), in key order. */
export function settingChanges(before: unknown, after: unknown, prefix = ''): SettingChange[] {
  if (jsonEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => settingChanges(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return [{ path: prefix, from: before ?? null, to: after ?? null }];
}
