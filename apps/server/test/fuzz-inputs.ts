import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check inputs for the fuzzing suite (SECURITY.md T5.8): values derived from a zod
 * schema (through zod's own JSON Schema conversion, so nothing here reads zod's internals),
 * hostile values in any position, and valid inputs with one part made hostile.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** Strings no input should fear: each must be refused or stored, never a 5xx. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'x'.repeat(1024 * 1024),
  'a\u0000b',
  '\ud800',
  'z\udfffz',
  '\u202e\u0645\u0631\u062d\u0628\u0627\u202c',
  '\u200b\u200c\u200d\ufeff',
  '零宽\u200b字符',
  '𠀀𪚥𰻞𠮷野家',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  "'; drop table customers; --",
  '%_\\',
  '$\u{7b}7*7}{{7*7}}<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '0000-00-00',
  '2026-02-30',
  '9999-12-31T25:61:00Z',
  '-1',
  'NaN',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-fffffffffffff',
  '\r\n\t',
];

export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1.5,
  2 ** 31,
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  5e-324,
];

/** Objects whose own keys would pollute a prototype if merged carelessly (JSON.parse keeps them). */
export const POLLUTING_OBJECTS: readonly Record<string, unknown>[] = [
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"__proto__":{"toString":"polluted","isAdmin":true}}'),
];

const DEEP_ARRAY: unknown = JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`);
const DEEP_OBJECT: unknown = JSON.parse(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`);

export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, [], {}, DEEP_ARRAY, DEEP_OBJECT) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(...POLLUTING_OBJECTS) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4, withNullPrototype: false }) },
  );
}

/** The ids an input may name: the acting tenant's own, another tenant's, and ones that exist nowhere. */
export type IdPool = readonly string[];

const CJK = fc.constantFrom(...'客户线索商机公海工单回访满意度战略重点甲乙丙丁北京上海深圳有限公司𠮷𪚥');
const TEXT_UNIT = fc.oneof(
  { weight: 3, arbitrary: CJK },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.constantFrom('\u200b', '\u202e', '\u200f', ' ', '\n', '\t', "'", '%', '\\') },
);

function dayString(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
    },
    { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '0000-01-01', '2026-13-01', '20260101', '') },
  );
}

function dateTimeString(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString()),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('2026-12-07T24:00:00Z', '+275760-09-13T00:00:00.000Z', 'yesterday'),
    },
  );
}

function stringOf(schema: JsonSchema, ids: IdPool): fc.Arbitrary<string> {
  if (schema.format === 'uuid')
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() });
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'date') return dayString();
  if (schema.format === 'date-time') return dateTimeString();
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .map((text) => text.slice(0, schema.maxLength ?? 200));
    } catch {
      // A pattern fast-check cannot generate from: plain text below.
    }
  }
  const minLength = Math.min(schema.minLength ?? 0, 64);
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 80));
  return fc.array(TEXT_UNIT, { minLength, maxLength }).map((units) => units.join(''));
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min =
    schema.minimum ??
    (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : undefined);
  const max =
    schema.maximum ??
    (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : undefined);
  const bounded = integer
    ? fc.integer({
        min: Math.max(min ?? -1_000_000, Number.MIN_SAFE_INTEGER),
        max: Math.min(max ?? 1_000_000, Number.MAX_SAFE_INTEGER),
      })
    : fc.double({ min: min ?? -1e9, max: max ?? 1e9, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    { weight: 5, arbitrary: bounded },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  );
}

function fromJsonSchema(
  schema: JsonSchema,
  root: JsonSchema,
  ids: IdPool,
  depth: number,
): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  const next = (child: JsonSchema) => fromJsonSchema(child, root, ids, depth + 1);
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = schema.$ref === '#' ? root : root.$defs?.[name];
    return target ? next(target) : fc.anything({ maxDepth: 1 });
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map(next));
  if (schema.allOf && schema.allOf.length > 0) return next(schema.allOf[0] as JsonSchema);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((one) => next({ ...schema, type: one })));
  switch (type[0]) {
    case 'string':
      return stringOf(schema, ids);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map(next));
      const minLength = Math.min(schema.minItems ?? 0, 8);
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 8));
      return fc.array(schema.items ? next(schema.items) : fc.anything({ maxDepth: 1 }), {
        minLength,
        maxLength,
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, next(value)]));
      const record = fc.record(model, {
        requiredKeys: (schema.required ?? []).filter((key) => key in model),
      });
      if (Object.keys(properties).length > 0 || schema.additionalProperties === false) return record;
      const values =
        typeof schema.additionalProperties === 'object'
          ? next(schema.additionalProperties)
          : fc.anything({ maxDepth: 1 });
      return fc.dictionary(stringOf({ maxLength: 12 }, ids), values, { maxKeys: 4 });
    }
    default:
      return fc.anything({ maxDepth: 2, maxKeys: 4 });
  }
}

/** Inputs shaped by a zod schema (as the caller would send them, before defaults and transforms). */
export function arbitraryOfSchema(schema: z.ZodType, ids: IdPool): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fromJsonSchema(json, json, ids, 0);
}

type Path = (string | number)[];

function positions(value: unknown, path: Path = []): Path[] {
  const here = [path];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => positions(item, [...path, index]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([key, item]) => positions(item, [...path, key]))];
  return here;
}

function replacedAt(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(value))
    return value.map((item, index) => (index === head ? replacedAt(item, rest, next) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replacedAt(record[head], rest, next) };
}

/** A valid input with one value (or the whole input) made hostile, or polluting keys added to it. */
export function mutatedInput(valid: unknown): fc.Arbitrary<unknown> {
  const places = positions(valid);
  const replaced = fc
    .tuple(fc.nat({ max: places.length - 1 }), hostileValue())
    .map(([index, value]) => replacedAt(valid, places[index] as Path, value));
  if (valid === null || typeof valid !== 'object' || Array.isArray(valid)) return replaced;
  const polluted = fc
    .constantFrom(...POLLUTING_OBJECTS)
    .map((pollution) => Object.assign(JSON.parse(JSON.stringify(pollution)), valid) as unknown);
  const extraKeys = fc
    .constantFrom<Record<string, unknown>>(
      { tenantId: '00000000-0000-4000-8000-000000000000' },
      { tenant_id: '00000000-0000-4000-8000-000000000000', role: 'owner', ownerUserId: null },
    )
    .map((extra) => ({ ...(valid as Record<string, unknown>), ...extra }));
  return fc.oneof(
    { weight: 4, arbitrary: replaced },
    { weight: 1, arbitrary: polluted },
    { weight: 1, arbitrary: extraKeys },
  );
}

/** Every UUID in a value (the ids a case's valid input names). */
export function idsIn(value: unknown): string[] {
  return [
    ...(JSON.stringify(value ?? null).match(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
    ) ?? []),
  ];
}
