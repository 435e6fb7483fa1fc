/*
 * Typed references into a plugin's settings. A rule never holds a settings value: it holds
 * either a literal number or `{ setting: 'tiers.high' }`, a path to a number in the settings.
 * The core resolves references against the tenant's effective settings right before it
 * compiles (SQL), validates, explains or previews — and because the reference survives into
 * the core, a problem (overlapping thresholds, weights that do not add up) names the setting
 * an admin has to change. The path is typed from the zod schema, so a typo does not compile.
 */

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** Every dotted path to a number in `T` (arrays are not addressed). */
export type NumberPath<T, Prefix extends string = ''> = T extends Primitive
  ? never
  : T extends readonly unknown[]
    ? never
    : {
        [K in keyof T & string]-?: NonNullable<T[K]> extends number
          ? `${Prefix}${K}`
          : NumberPath<NonNullable<T[K]>, `${Prefix}${K}.`>;
      }[keyof T & string];

/** A reference to a number of the settings. */
export type SettingRef<Path extends string = string> = { setting: Path };

/** A number in a rule: a literal, or a number of the settings. */
export type NumberRef<Path extends string = string> = number | SettingRef<Path>;

/**
 * `T` with every `{ setting: string }` narrowed to the paths `Path` — applied to the tier
 * model's schema type so its references are checked against the plugin's settings.
 */
export type WithSettingPaths<T, Path extends string> = T extends { setting: string }
  ? SettingRef<Path>
  : T extends Primitive
    ? T
    : T extends readonly (infer Item)[]
      ? readonly WithSettingPaths<Item, Path>[]
      : { readonly [K in keyof T]: WithSettingPaths<T[K], Path> };

/** Reads a dotted path from settings (undefined when absent). */
export function readSettingPath(settings: unknown, path: string): unknown {
  let value: unknown = settings;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function isSettingRef(value: unknown): value is SettingRef {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { setting?: unknown }).setting === 'string'
  );
}
