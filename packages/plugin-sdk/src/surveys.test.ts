import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SurveyQuestion } from './contributions';
import { definePlugin } from './define-plugin';
import { bilingual } from './labels';
import {
  checkSurveyForm,
  normalizedScore,
  npsBandOf,
  SURVEY_CUSTOM_FIELD_TYPES,
  type SurveyForm,
  scaleOf,
  scoreQuestionOf,
  surveyProfileFieldsFor,
} from './surveys';
import { validatePlugin } from './validate';

const labels = bilingual('题', 'Question');
const fields = [
  { key: 'shop_size', type: 'number' as const },
  {
    key: 'shop_segment',
    type: 'enum' as const,
    options: [
      { value: 'a', labels },
      { value: 'b', labels },
    ],
  },
  { key: 'shop_flags', type: 'multi_enum' as const, options: [{ value: 'x', labels }] },
  { key: 'shop_secret', type: 'text' as const, sensitive: true },
];
const choice = (key: string, type: 'single_choice' | 'multi_choice', values: string[]): SurveyQuestion => ({
  key,
  type,
  labels,
  options: values.map((value) => ({ value, labels })),
});

function problemsOf(form: Partial<SurveyForm> & { questions: SurveyQuestion[] }) {
  return checkSurveyForm({ key: 'shop_s', kind: 'custom', ...form }, fields).map(
    (problem) => [problem.path, problem.message.en] as const,
  );
}

describe('survey forms', () => {
  it('accepts every question type with fitting mappings', () => {
    expect(
      problemsOf({
        kind: 'needs',
        questions: [
          { key: 'n', type: 'nps', labels, profile: { field: 'custom:shop_size' } },
          { key: 'r', type: 'rating', labels, scale: { min: 0, max: 100 } },
          { ...choice('s', 'single_choice', ['a', 'b']), profile: { field: 'custom:shop_segment' } },
          { ...choice('m', 'multi_choice', ['p', 'q']), profile: { field: 'explicit_needs' } },
          { key: 't', type: 'text', labels, profile: { field: 'implicit_needs' } },
          { key: 'num', type: 'number', labels },
          { key: 'y', type: 'yes_no', labels },
          {
            ...choice('k', 'single_choice', ['goods', 'care']),
            profile: { field: 'need_type', values: { goods: 'product', care: 'service' } },
          },
        ],
      }),
    ).toEqual([]);
  });

  it('names the survey and the question in every problem', () => {
    expect(problemsOf({ kind: 'nps', questions: [{ key: 'why', type: 'text', labels }] })).toEqual([
      ['questions', `NPS survey "shop_s" needs a 0–10 recommendation question (type: 'nps')`],
    ]);
    expect(problemsOf({ kind: 'csat', questions: [{ key: 'why', type: 'text', labels }] })).toEqual([
      ['questions', `CSAT survey "shop_s" needs a rating question (type: 'rating') for its score`],
    ]);
    expect(
      problemsOf({
        questions: [
          choice('one', 'single_choice', ['a']),
          { ...choice('t', 'single_choice', ['a', 'b']), type: 'text' },
          { key: 'n', type: 'nps', labels, scale: { min: 0, max: 5 } },
          { key: 'r', type: 'rating', labels, scale: { min: 5, max: 1 } },
          { key: 'big', type: 'rating', labels, scale: { min: 0, max: 1000 } },
        ],
      }),
    ).toEqual([
      ['questions.0.options', 'survey "shop_s": the choice question "one" needs at least two options'],
      [
        'questions.1.options',
        'survey "shop_s": the question "t" is not a choice question and takes no options',
      ],
      ['questions.2.scale', 'survey "shop_s": the question "n" is not a rating and takes no scale'],
      ['questions.3.scale', 'survey "shop_s": the scale of "r" must go from low to high'],
      ['questions.4.scale', 'survey "shop_s": the scale of "big" must lie within 0–100 (it is 0–1000)'],
    ]);
  });

  it('refuses mappings that do not fit the profile', () => {
    expect(
      problemsOf({
        questions: [
          { key: 'a', type: 'yes_no', labels, profile: { field: 'explicit_needs' } },
          { key: 'b', type: 'text', labels, profile: { field: 'need_type' } },
          { key: 'c', type: 'text', labels, profile: { field: 'birthday' as 'need_type' } },
          { key: 'd', type: 'text', labels, profile: { field: 'custom:nope' } },
          { key: 'e', type: 'text', labels, profile: { field: 'custom:shop_size' } },
          { key: 'f', type: 'text', labels, profile: { field: 'custom:shop_secret' } },
          { ...choice('g', 'single_choice', ['a', 'z']), profile: { field: 'custom:shop_segment' } },
          {
            ...choice('h', 'single_choice', ['a', 'b']),
            profile: { field: 'need_type', values: { a: 'goods', c: 'service' } },
          },
          {
            ...choice('i', 'single_choice', ['a', 'y', 'z']),
            profile: { field: 'custom:shop_segment', values: { y: 'b' } },
          },
        ],
      }).map(([path, message]) => `${path}: ${message}`),
    ).toEqual([
      'questions.0.profile.field: survey "shop_s": the answer to "a" cannot go to the profile\'s "explicit_needs": only text and choice answers can be written as needs text',
      'questions.1.profile.field: survey "shop_s": the answer to "b" cannot go to the profile\'s "need_type": the need type comes only from a single choice question',
      'questions.2.profile.field: survey "shop_s": the answer to "c" cannot go to the profile\'s "birthday": the profile fields are explicit_needs, implicit_needs, need_type or custom:<field key>',
      'questions.3.profile.field: survey "shop_s": the answer to "d" cannot go to the profile\'s "custom:nope": there is no such custom field',
      'questions.4.profile.field: survey "shop_s": the answer to "e" cannot go to the profile\'s "custom:shop_size": a text answer cannot go to a number field',
      'questions.5.profile.field: survey "shop_s": the answer to "f" cannot go to the profile\'s "custom:shop_secret": a text answer cannot go to a sensitive field',
      'questions.6.profile.field: survey "shop_s": the answer to "g" cannot go to the profile\'s "custom:shop_segment": the field has no option z (map them to its options with values)',
      'questions.7.profile.values.a: survey "shop_s": the option "a" of "h" maps to "goods", which is not a need type (one of: product, service, both)',
      'questions.7.profile.values.c: survey "shop_s": the question "h" has no option "c"',
      // An option left unmapped writes its own value, which the field must offer.
      'questions.8.profile.field: survey "shop_s": the answer to "i" cannot go to the profile\'s "custom:shop_segment": the field has no option z (map them to its options with values)',
    ]);
  });

  it.each([
    ['text', ['explicit_needs', 'implicit_needs'], ['text']],
    ['single_choice', ['explicit_needs', 'implicit_needs', 'need_type'], ['enum']],
    ['multi_choice', ['explicit_needs', 'implicit_needs'], ['multi_enum']],
    ['nps', [], ['number']],
    ['rating', [], ['number']],
    ['number', [], ['number', 'money']],
    ['yes_no', [], ['boolean']],
  ] as const)(
    'offers a %s answer the profile fields %j and custom fields of type %j',
    (type, fixed, custom) => {
      expect(surveyProfileFieldsFor(type)).toEqual(fixed);
      expect(SURVEY_CUSTOM_FIELD_TYPES[type]).toEqual(custom);
    },
  );

  it('scores: the score question, scales, normalised scores and NPS bands', () => {
    const rating: SurveyQuestion = { key: 'r', type: 'rating', labels };
    expect(scoreQuestionOf({ kind: 'csat', questions: [{ key: 't', type: 'text', labels }, rating] })).toBe(
      rating,
    );
    expect(scoreQuestionOf({ kind: 'needs', questions: [rating] })).toBeUndefined();
    expect(scaleOf(rating)).toEqual({ min: 1, max: 5 });
    expect(scaleOf({ type: 'nps' })).toEqual({ min: 0, max: 10 });
    expect([1, 2, 3, 4, 5].map((score) => normalizedScore(score, { min: 1, max: 5 }))).toEqual([
      0, 25, 50, 75, 100,
    ]);
    expect([0, 6, 7, 8, 9, 10].map(npsBandOf)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
  });

  it('is what validatePlugin reports for a plugin survey, under its path', () => {
    const plugin = definePlugin({
      id: 'shop',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels: bilingual('店', 'Shop'),
      description: bilingual('店', 'Shop'),
      settings: { schema: z.object({}), version: 1 },
      surveys: [
        {
          key: 'shop_needs',
          kind: 'needs',
          labels: bilingual('需求', 'Needs'),
          schedule: { every: 'quarter' },
          questions: [{ key: 'size', type: 'text', labels, profile: { field: 'custom:shop_missing' } }],
        },
      ],
    });
    expect(validatePlugin(plugin).map((problem) => [problem.code, problem.path])).toEqual([
      ['PLUGIN_RULE_INVALID', 'surveys.0.questions.0.profile.field'],
    ]);
  });
});
