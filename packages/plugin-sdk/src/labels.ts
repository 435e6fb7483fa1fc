import { z } from 'zod';

/** The languages every plugin text is written in. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in both languages, written (not machine-translated) by the plugin's author. */
export type Labels = { 'zh-CN': string; en: string };

/**
 * Loose on purpose: a missing or blank language is reported by `validatePlugin` as
 * `LABEL_MISSING` with its path, which tells a partner more than a shape error would.
 */
export const labelsShape = z.strictObject({ 'zh-CN': z.string().optional(), en: z.string().optional() });

/** Property names whose values are texts in both languages. */
export const LABEL_PROPERTIES = ['labels', 'description', 'help', 'patternMessage'] as const;

/** What a settings field tells the admin form: `z.number().default(90).meta({ labels, help, unit })`. */
export type SettingMeta = {
  /** The field's name in the form (required on every field and group). */
  labels?: Labels;
  /** A sentence under the field: what it changes. */
  help?: Labels;
  /** Shown after the input: 元 / CNY, 天 / days, % … */
  unit?: Labels;
};

declare module 'zod/v4/core' {
  interface GlobalMeta extends SettingMeta {}
}

/** A text in both languages: `bilingual('重要客户', 'Important')`. */
export function bilingual(zh: string, en: string): Labels {
  return { 'zh-CN': zh, en };
}

/**
 * The options of a settings rule that spans fields, for the schema's `.refine()`: the
 * message in both languages, shown on the setting `path` names. An administrator who saves
 * settings that break the rule sees exactly this message.
 *
 * ```ts
 * schema.refine(
 *   (settings) => settings.renewal.chaseDays < settings.renewal.firstReminderDays,
 *   settingsIssue('续保催办须晚于首次续保提醒', 'The renewal chase must come after the first renewal reminder', ['renewal', 'chaseDays']),
 * )
 * ```
 */
export function settingsIssue(zh: string, en: string, path?: (string | number)[]) {
  return { message: zh, params: { 'zh-CN': zh, en }, ...(path && { path }) };
}

/** A group of settings shown as one section of the admin form, with its name and help. */
export function settingsGroup<Shape extends z.ZodRawShape>(shape: Shape, labels: Labels, help: Labels) {
  return z.object(shape).meta({ labels, help });
}

/**
 * The migration a settings schema's first versions need (`settings.migrate`): stored
 * overrides → overrides of the current version, keeping each top-level group that still
 * parses and dropping unknown or malformed ones (zod fills the defaults, which the host
 * takes out again when it stores the difference). Idempotent. A later version that renames
 * a setting does that first, then calls this.
 *
 * ```ts
 * settings: { schema, version: 1, migrate: (_from, overrides) => keepValidOverrides(schema, overrides) }
 * ```
 */
export function keepValidOverrides<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  overrides: Readonly<Record<string, unknown>>,
): z.input<z.ZodObject<Shape>> {
  const shape = schema.shape as unknown as Record<string, z.ZodType>;
  const kept = Object.fromEntries(
    Object.entries(overrides).filter(([key, value]) => shape[key]?.safeParse(value).success === true),
  );
  return schema.partial().parse(kept) as z.input<z.ZodObject<Shape>>;
}
