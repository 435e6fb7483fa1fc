import * as z from 'zod/mini';

/**
 * Readers of a page's search parameters (`validateSearch`): each keeps a value it can use and
 * drops anything else, so an edited or outdated link still opens the page (a zod object would
 * refuse the whole link for one bad value). Each reader is a zod/mini schema — the tree-shakable
 * build of the zod the pages and forms use — because every route's search check is part of the
 * app shell, which every first visit downloads.
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

/** A reader from a zod/mini schema: its output when the value passes, otherwise undefined. */
function reader<T>(schema: z.ZodMiniType<T>): Param<T> {
  return (value) => {
    const result = z.safeParse(schema, value);
    return result.success ? result.data : undefined;
  };
}

/** A string of at most `max` characters. */
export function text(max: number): Param<string> {
  return reader(z.string().check(z.maxLength(max)));
}

/** A string matching `pattern`. */
export function matching(pattern: RegExp, max = 2000): Param<string> {
  return reader(z.string().check(z.maxLength(max), z.regex(pattern)));
}

/** One of the given strings. */
export function oneOf<const T extends string>(values: readonly T[]): Param<T> {
  return reader(z.enum(values as unknown as [T, ...T[]])) as Param<T>;
}

/** One of the given numbers. */
export function oneOfNumbers<const T extends number>(values: readonly T[]): Param<T> {
  return reader(z.union(values.map((value) => z.literal(value)))) as Param<T>;
}

/** true or false. */
export const flag: Param<boolean> = reader(z.boolean());

/** A whole number from `min` to `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Param<number> {
  return reader(z.int().check(z.gte(min), z.lte(max)));
}

/** A UUID (a record's id). */
export const uuid: Param<string> = reader(z.uuid());

/** YYYY-MM-DD in the shape only (as a free-form period bound). */
export const dayShape: Param<string> = matching(/^\d{4}-\d{2}-\d{2}$/, 10);

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30). */
export const isoDay: Param<string> = reader(z.iso.date());

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
