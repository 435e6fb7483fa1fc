import { describe, expect, it } from 'vitest';
import type { AnyPlugin } from '../define-plugin';
import type { Problem } from '../validate';
import { type ContractOptions, checkPluginContract, formatProblems } from './contract';

const GROUPS: { title: string; codes: (code: Problem['code']) => boolean }[] = [
  {
    title: 'has a valid envelope (format, id, version, SDK range)',
    codes: (code) => /^PLUGIN_(ENVELOPE|API_VERSION|ID|VERSION|SDK)_/.test(code),
  },
  { title: 'has labels in zh-CN and en everywhere', codes: (code) => code === 'PLUGIN_LABEL_MISSING' },
  {
    title: 'contributes prefixed, unique keys and valid custom fields',
    codes: (code) => /^PLUGIN_(KEY|CUSTOM_FIELD)_/.test(code),
  },
  {
    title: 'has settings whose defaults parse, with an idempotent migration',
    codes: (code) => /^PLUGIN_SETTINGS_/.test(code),
  },
  {
    title: 'has valid, deterministic rules (tier model, grades, surveys, cadences, reminders)',
    codes: (code) => /^(TIER_|PLUGIN_(TIER|RULE|RULES|FIELD|SETTING)_)/.test(code),
  },
];

/**
 * Registers the contract checks as vitest tests, one per kind of problem, so a failure says
 * what is wrong in both languages:
 *
 *   describePluginContract(plugin);
 */
export function describePluginContract(plugin: AnyPlugin, options: ContractOptions = {}): void {
  describe(`plugin ${plugin.id} contract`, () => {
    const problems = checkPluginContract(plugin, options);
    for (const group of GROUPS) {
      it(group.title, () => {
        const found = problems.filter((problem) => group.codes(problem.code));
        expect(found, formatProblems(found)).toEqual([]);
      });
    }
    it('has no other problem', () => {
      const rest = problems.filter((problem) => !GROUPS.some((group) => group.codes(problem.code)));
      expect(rest, formatProblems(rest)).toEqual([]);
    });
  });
}
