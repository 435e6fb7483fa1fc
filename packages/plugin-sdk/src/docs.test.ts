import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import insurance from '../examples/insurance/src/index';
import { definePlugin, validatePlugin } from './index';

// docs/plugins.md walks a partner through the insurance profile; its code blocks are the
// files of packages/plugin-sdk/examples/insurance (whose tests run in the suite), so the
// walkthrough cannot drift from code that works.

const here = dirname(fileURLToPath(import.meta.url));
const exampleRoot = join(here, '../examples/insurance');
const doc = readFileSync(join(here, '../../../docs/plugins.md'), 'utf8');
const thisFile = readFileSync(fileURLToPath(import.meta.url), 'utf8');

type Block = { info: string; code: string };

function blocksOf(markdown: string): Block[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    info: (match[1] ?? '').trim(),
    code: match[2] ?? '',
  }));
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(root, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative(exampleRoot, path)];
  });
}

const blocks = blocksOf(doc);

describe('docs/plugins.md', () => {
  it('shows every file of the example, exactly', () => {
    const shown = new Map<string, string>();
    for (const block of blocks) {
      const file = /file=plugins\/insurance\/(\S+)/.exec(block.info)?.[1];
      if (file) shown.set(file, block.code);
    }
    expect([...shown.keys()].sort()).toEqual(filesUnder(exampleRoot).sort());
    for (const [file, code] of shown) {
      // The walkthrough names the package in a partner's namespace; the example is the SDK's own.
      const example = readFileSync(join(exampleRoot, file), 'utf8').replace(
        '"name": "@crm/example-insurance"',
        '"name": "@partner/plugin-insurance"',
      );
      expect(code, file).toBe(example);
    }
  });

  it('quotes messages the server really gives', () => {
    const variants: unknown[] = [
      { ...insurance, labels: { 'zh-CN': '保险', en: '' } },
      { ...insurance, sdk: '^2.0.0' },
      {
        ...insurance,
        customFields: insurance.customFields?.map((field) =>
          field.key === 'insurance_policy_expiry' ? { ...field, key: 'policy_expiry' } : field,
        ),
      },
      {
        ...insurance,
        cadences: insurance.cadences?.map((cadence, index) =>
          index === 0 ? { ...cadence, tier: 'gold' } : cadence,
        ),
      },
      {
        ...insurance,
        settings: {
          ...insurance.settings,
          schema: insurance.settings.schema.extend({
            leadFollowUpHours: z
              .number()
              .int()
              .min(1)
              .max(168)
              .default(240)
              .meta({ labels: { 'zh-CN': 'A 级线索跟进时限', en: 'Grade A lead: follow up within' } }),
          }),
        },
      },
    ];
    const messages = new Set(
      variants.flatMap((variant) =>
        validatePlugin(variant).flatMap((problem) => [problem.message.en, problem.message['zh-CN']]),
      ),
    );
    const quoted = blocks.filter((block) => block.info === 'text messages');
    expect(quoted).toHaveLength(1);
    const lines = (quoted[0]?.code ?? '').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect([...messages], line).toContain(line);
  });

  it('shows a settings migration that compiles and passes the idempotence check', () => {
    const settings = insurance.settings.schema;
    const plugin = definePlugin({
      ...insurance,
      // The block below is the doc's, character for character (checked next).
      settings: {
        schema: settings,
        version: 2,
        migrate: (_fromVersion, overrides) => {
          const { renewalDaysBefore, ...rest } = overrides;
          return typeof renewalDaysBefore === 'number'
            ? { ...rest, renewalOffsetDays: -renewalDaysBefore }
            : rest;
        },
      },
    });
    expect(validatePlugin(plugin)).toEqual([]);
    expect(plugin.settings.migrate?.(1, { renewalDaysBefore: 45 })).toEqual({ renewalOffsetDays: -45 });
    const snippet = blocks.find((block) => block.info === 'ts' && block.code.includes('migrate:'));
    const indented = (snippet?.code ?? 'missing')
      .trimEnd()
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n');
    expect(thisFile).toContain(indented);
  });
});
