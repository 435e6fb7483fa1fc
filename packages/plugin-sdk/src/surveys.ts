import {
  type CustomFieldDefinition,
  NEED_TYPE_VALUES,
  SURVEY_PROFILE_FIELDS,
  type SurveyDefinition,
  type SurveyKind,
  type SurveyQuestion,
} from './contributions';
import type { Labels } from './labels';

/*
 * The rules of a survey's form, shared by the plugins' surveys (validatePlugin) and the
 * surveys a tenant builds in the form designer (the API checks them with the same function),
 * so both are told the same thing, naming the survey and the question.
 */

/** One thing wrong with a survey: the path under the survey and the message in both languages. */
export type SurveyProblem = { path: string; message: Labels };

/** The questions and kind a check needs (a plugin's survey, or a tenant's draft). */
export type SurveyForm = {
  key: string;
  kind: SurveyKind;
  questions: readonly SurveyQuestion[];
};

/** A rating question's scale when it states none. */
export const DEFAULT_RATING_SCALE = { min: 1, max: 5 } as const;

/** The scale of a scored question: nps 0–10, a rating its own (1–5 by default). */
export function scaleOf(question: Pick<SurveyQuestion, 'type' | 'scale'>): { min: number; max: number } {
  if (question.type === 'nps') return { min: 0, max: 10 };
  return question.scale ?? DEFAULT_RATING_SCALE;
}

/**
 * The question whose answer is the survey's score: the first `nps` question of an NPS
 * survey, the first `rating` question of a CSAT survey; none for needs and custom surveys.
 */
export function scoreQuestionOf(form: Pick<SurveyForm, 'kind' | 'questions'>): SurveyQuestion | undefined {
  if (form.kind === 'nps') return form.questions.find((question) => question.type === 'nps');
  if (form.kind === 'csat') return form.questions.find((question) => question.type === 'rating');
  return undefined;
}

/**
 * A score on 0–100: where it sits on its scale (4 of 1–5 is 75). CSAT reports the share of
 * scores at 75 or more (satisfied: 4–5 of 5), and a score at 25 or less is low (1–2 of 5).
 */
export function normalizedScore(score: number, scale: { min: number; max: number }): number {
  return ((score - scale.min) / (scale.max - scale.min)) * 100;
}

export const SATISFIED_AT_LEAST = 75;
export const LOW_AT_MOST = 25;

/** NPS bands: promoters 9–10, passives 7–8, detractors 0–6. */
export function npsBandOf(score: number): 'promoter' | 'passive' | 'detractor' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

const CHOICE_TYPES = new Set(['single_choice', 'multi_choice']);
const TEXT_TARGETS = new Set<string>(['explicit_needs', 'implicit_needs']);

/** The custom field types an answer of each question type may write. */
export const SURVEY_CUSTOM_FIELD_TYPES: Readonly<Record<SurveyQuestion['type'], readonly string[]>> = {
  nps: ['number'],
  rating: ['number'],
  number: ['number', 'money'],
  single_choice: ['enum'],
  multi_choice: ['multi_enum'],
  yes_no: ['boolean'],
  text: ['text'],
};

/**
 * The profile's fixed fields an answer of this question type may write: the needs texts from
 * a text or choice answer, the need type from a single choice (with `values`).
 */
export function surveyProfileFieldsFor(
  type: SurveyQuestion['type'],
): (typeof SURVEY_PROFILE_FIELDS)[number][] {
  return SURVEY_PROFILE_FIELDS.filter((field) =>
    field === 'need_type' ? type === 'single_choice' : type === 'text' || CHOICE_TYPES.has(type),
  );
}

/**
 * Everything wrong with a survey's questions: an NPS survey without its 0–10 question, a
 * CSAT survey without a rating, choices with fewer than two options, options or a scale on
 * a question that takes none, a scale upside down or outside 0–100, and mappings to the
 * profile that do not fit (an unknown field, a type the field cannot hold, option values the
 * field does not offer). `customFields`: the fields a `custom:<key>` mapping may name.
 */
export function checkSurveyForm(
  form: SurveyForm,
  customFields: readonly (Pick<CustomFieldDefinition, 'key' | 'type' | 'sensitive'> & {
    options?: readonly { value: string }[];
  })[],
): SurveyProblem[] {
  const problems: SurveyProblem[] = [];
  const problem = (path: string, zh: string, en: string) =>
    problems.push({ path, message: { 'zh-CN': zh, en } });
  const survey = form.key;
  if (form.kind === 'nps' && !form.questions.some((question) => question.type === 'nps')) {
    problem(
      'questions',
      `净推荐值问卷「${survey}」须有一道 0–10 分的推荐题（type: 'nps'）`,
      `NPS survey "${survey}" needs a 0–10 recommendation question (type: 'nps')`,
    );
  }
  if (form.kind === 'csat' && !form.questions.some((question) => question.type === 'rating')) {
    problem(
      'questions',
      `满意度问卷「${survey}」须有一道评分题（type: 'rating'），作为满意度得分`,
      `CSAT survey "${survey}" needs a rating question (type: 'rating') for its score`,
    );
  }
  form.questions.forEach((question, index) => {
    const path = `questions.${index}`;
    const name = question.key;
    const choice = CHOICE_TYPES.has(question.type);
    if (choice && (question.options?.length ?? 0) < 2) {
      problem(
        `${path}.options`,
        `问卷「${survey}」的选择题「${name}」至少需要两个选项`,
        `survey "${survey}": the choice question "${name}" needs at least two options`,
      );
    }
    if (!choice && question.options !== undefined) {
      problem(
        `${path}.options`,
        `问卷「${survey}」的题目「${name}」不是选择题，不能设选项`,
        `survey "${survey}": the question "${name}" is not a choice question and takes no options`,
      );
    }
    if (question.scale !== undefined) {
      if (question.type !== 'rating') {
        problem(
          `${path}.scale`,
          `问卷「${survey}」的题目「${name}」不是评分题，不能设评分范围`,
          `survey "${survey}": the question "${name}" is not a rating and takes no scale`,
        );
      } else if (!(question.scale.min < question.scale.max)) {
        problem(
          `${path}.scale`,
          `问卷「${survey}」的题目「${name}」评分范围须从小到大`,
          `survey "${survey}": the scale of "${name}" must go from low to high`,
        );
      } else if (question.scale.min < 0 || question.scale.max > 100) {
        problem(
          `${path}.scale`,
          `问卷「${survey}」的题目「${name}」评分范围须在 0–100 之内（现为 ${question.scale.min}–${question.scale.max}）`,
          `survey "${survey}": the scale of "${name}" must lie within 0–100 (it is ${question.scale.min}–${question.scale.max})`,
        );
      }
    }
    if (question.profile) checkMapping(question, `${path}.profile`);
  });
  return problems;

  function checkMapping(question: SurveyQuestion, path: string): void {
    const mapping = question.profile;
    if (!mapping) return;
    const name = question.key;
    const field = mapping.field;
    const optionValues = new Set((question.options ?? []).map((option) => option.value));
    const unfit = (zhWhy: string, enWhy: string) =>
      problem(
        `${path}.field`,
        `问卷「${survey}」的题目「${name}」不能写入客户资料「${field}」：${zhWhy}`,
        `survey "${survey}": the answer to "${name}" cannot go to the profile's "${field}": ${enWhy}`,
      );
    const checkValues = (allowed: ReadonlySet<string>, zhWhat: string, enWhat: string) => {
      for (const [from, to] of Object.entries(mapping.values ?? {})) {
        if (!optionValues.has(from)) {
          problem(
            `${path}.values.${from}`,
            `问卷「${survey}」的题目「${name}」没有选项「${from}」`,
            `survey "${survey}": the question "${name}" has no option "${from}"`,
          );
        } else if (!allowed.has(to)) {
          problem(
            `${path}.values.${from}`,
            `问卷「${survey}」的题目「${name}」的选项「${from}」映射到「${to}」，不是${zhWhat}（可选：${[...allowed].join('、')}）`,
            `survey "${survey}": the option "${from}" of "${name}" maps to "${to}", which is not ${enWhat} (one of: ${[...allowed].join(', ')})`,
          );
        }
      }
    };
    if (TEXT_TARGETS.has(field)) {
      if (!(question.type === 'text' || choice(question))) {
        unfit(
          '只有文字题和选择题的答案可以写入需求文本',
          'only text and choice answers can be written as needs text',
        );
      }
      return;
    }
    if (field === 'need_type') {
      if (question.type !== 'single_choice') {
        unfit('需求类型只能来自单选题', 'the need type comes only from a single choice question');
        return;
      }
      if (!mapping.values || Object.keys(mapping.values).length === 0) {
        unfit(
          '须用 values 把选项映射为 product、service 或 both',
          'map the options to product, service or both with values',
        );
        return;
      }
      checkValues(new Set(NEED_TYPE_VALUES), '需求类型', 'a need type');
      return;
    }
    if (!field.startsWith('custom:')) {
      unfit(
        `可写入的资料为 ${SURVEY_PROFILE_FIELDS.join('、')} 或 custom:<字段键>`,
        `the profile fields are ${SURVEY_PROFILE_FIELDS.join(', ')} or custom:<field key>`,
      );
      return;
    }
    const key = field.slice('custom:'.length);
    const target = customFields.find((candidate) => candidate.key === key);
    if (!target) {
      unfit('没有这个自定义字段', 'there is no such custom field');
      return;
    }
    if (!SURVEY_CUSTOM_FIELD_TYPES[question.type].includes(target.type) || target.sensitive) {
      unfit(
        `${questionTypeZh(question.type)}的答案不能写入${target.sensitive ? '加密' : `类型为 ${target.type} 的`}字段`,
        `a ${question.type} answer cannot go to a ${target.sensitive ? 'sensitive' : target.type} field`,
      );
      return;
    }
    if (target.type === 'enum' || target.type === 'multi_enum') {
      const fieldValues = new Set((target.options ?? []).map((option) => option.value));
      if (mapping.values) checkValues(fieldValues, '该字段的选项', 'an option of the field');
      // An option without a mapping writes its own value: the field must offer it.
      const mapped = new Set(Object.keys(mapping.values ?? {}));
      const missing = [...optionValues].filter((value) => !mapped.has(value) && !fieldValues.has(value));
      if (missing.length > 0) {
        unfit(
          `字段没有选项 ${missing.join('、')}（用 values 映射到字段的选项）`,
          `the field has no option ${missing.join(', ')} (map them to its options with values)`,
        );
      }
    }
  }
}

function choice(question: SurveyQuestion): boolean {
  return CHOICE_TYPES.has(question.type);
}

function questionTypeZh(type: SurveyQuestion['type']): string {
  return {
    nps: '推荐题',
    rating: '评分题',
    number: '数字题',
    single_choice: '单选题',
    multi_choice: '多选题',
    yes_no: '是非题',
    text: '文字题',
  }[type];
}

/** Checks of a whole plugin survey beyond its form: the delay of an event schedule. */
export function checkSurveySchedule(
  survey: Pick<SurveyDefinition<string>, 'key' | 'schedule'>,
): SurveyProblem[] {
  if (!('after' in survey.schedule)) return [];
  const delay = survey.schedule.delayDays;
  if (typeof delay === 'number' && Number.isInteger(delay) && delay >= 0 && delay <= 3650) return [];
  return [
    {
      path: 'schedule.delayDays',
      message: {
        'zh-CN': `问卷「${survey.key}」的发送延迟须为 0–3650 之间的整数天（现为 ${String(delay)}）`,
        en: `survey "${survey.key}" needs a delay of 0–3650 whole days (it is ${String(delay)})`,
      },
    },
  ];
}
