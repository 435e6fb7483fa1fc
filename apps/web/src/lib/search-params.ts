/**
 * Readers of a page's search parameters (`validateSearch`): each keeps a value it can use and
 * drops anything else, so an edited or outdated link still opens the page. They are plain
 * functions rather than zod schemas because every route's search check is part of the app
 * shell, which every first visit downloads; zod stays with the pages and forms that need it.
 */

/** Reads one parameter: its value when usable, otherwise undefined. */
export type Param<T> = (value: unknown) => T | undefined;

type Value<P> = P extends (value: unknown) => infer T ? T : never;
type OptionalKeys<S> = { [K in keyof S]: undefined extends Value<S[K]> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** What a shape of readers reads: a key whose reader may drop its value is optional. */
export type SearchOf<S> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Value<S[K]> } & {
    [K in OptionalKeys<S>]?: Exclude<Value<S[K]>, undefined>;
  }
>;

/** The parameters of a shape; unknown keys and unusable values are left out. */
export function searchOf<S extends Record<string, (value: unknown) => unknown>>(shape: S) {
  return {
    parse(input: unknown): SearchOf<S> {
      const source = isRecord(input) ? input : {};
      const out: Record<string, unknown> = {};
      for (const [key, read] of Object.entries(shape)) {
        const value = read(Object.hasOwn(source, key) ? source[key] : undefined);
        if (value !== undefined) out[key] = value;
      }
      return out as SearchOf<S>;
    },
  };
}

/**
 * A nested object read whole: undefined unless it is an object whose `required` keys and every
 * other key it has are usable (one bad part drops all of it, as a malformed filter should).
 */
export function strictRecord<
  S extends Record<string, (value: unknown) => unknown>,
  K extends keyof S & string,
>(
  shape: S,
  required: readonly K[],
): Param<Simplify<SearchOf<S> & { [P in K]-?: Exclude<Value<S[P]>, undefined> }>> {
  return (value) => {
    if (!isRecord(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, read] of Object.entries(shape)) {
      const raw = Object.hasOwn(value, key) ? value[key] : undefined;
      const parsed = read(raw);
      if (parsed === undefined && (raw !== undefined || (required as readonly string[]).includes(key)))
        return undefined;
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as never;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of at most `max` characters. */
export function text(max: number): Param<string> {
  return (value) => (typeof value === 'string' && value.length <= max ? value : undefined);
}

/** A string matching `pattern`. */
export function matching(pattern: RegExp, max = 2000): Param<string> {
  return (value) =>
    typeof value === 'string' && value.length <= max && pattern.test(value) ? value : undefined;
}

/** One of the given strings. */
export function oneOf<const T extends string>(values: readonly T[]): Param<T> {
  return (value) => ((values as readonly unknown[]).includes(value) ? (value as T) : undefined);
}

/** One of the given numbers. */
export function oneOfNumbers<const T extends number>(values: readonly T[]): Param<T> {
  return (value) => ((values as readonly unknown[]).includes(value) ? (value as T) : undefined);
}

/** true or false. */
export const flag: Param<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);

/** A whole number from `min` to `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Param<number> {
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? (value as number)
      : undefined;
}

// The same UUIDs zod's z.uuid() accepts (versions 1–8, RFC variant, nil and max).
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

/** A UUID (a record's id). */
export const uuid: Param<string> = matching(UUID, 36);

/** YYYY-MM-DD in the shape only (as a free-form period bound). */
export const dayShape: Param<string> = matching(/^\d{4}-\d{2}-\d{2}$/, 10);

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30). */
export const isoDay: Param<string> = (value) => {
  const day = dayShape(value);
  if (day === undefined) return undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, date));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === date
    ? day
    : undefined;
};

/** A list of at most `max` values, each usable (otherwise no list). */
export function listOf<T>(item: Param<T>, max = 1000): Param<T[]> {
  return (value) => {
    if (!Array.isArray(value) || value.length > max) return undefined;
    const items: T[] = [];
    for (const entry of value) {
      const read = item(entry);
      if (read === undefined) return undefined;
      items.push(read);
    }
    return items;
  };
}

/** The first reader that can use the value. */
export function either<A, B>(first: Param<A>, second: Param<B>): Param<A | B> {
  return (value) => {
    const read = first(value);
    return read !== undefined ? read : second(value);
  };
}

/** The value, or `fallback` when it is missing or unusable. */
export function withDefault<T>(read: Param<T>, fallback: T): (value: unknown) => T {
  return (value) => read(value) ?? fallback;
}
