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
export const labelsShape = z.object({ 'zh-CN': z.string().optional(), en: z.string().optional() });

/** Property names whose values are texts in both languages. */
export const LABEL_PROPERTIES = ['labels', 'description', 'help'] as const;
