import type { SurveyQuestion } from '@crm/plugin-sdk';
import { scaleOf } from '@crm/plugin-sdk';

/**
 * The public survey page as one small HTML document: no script and no app bundle, inline
 * styles, mobile-first, in Chinese or English (a switch at the top), accessible (every
 * question a fieldset with its legend, errors tied to their question, large touch targets),
 * and plain enough for WeChat's in-app browser. An ordinary form post submits it.
 */
export type PageLocale = 'zh-CN' | 'en';

export type PageSurvey = {
  title: { 'zh-CN': string; en: string };
  description: { 'zh-CN': string; en: string } | null;
  questions: readonly SurveyQuestion[];
};

const WORDS = {
  'zh-CN': {
    submit: '提交',
    required: '必答',
    optional: '选填',
    yes: '是',
    no: '否',
    npsLow: '完全不可能',
    npsHigh: '非常可能',
    thanks: '提交成功，感谢您的反馈！',
    answered: '您已提交过这份问卷，感谢您的反馈！',
    missing: '链接无效或已过期',
    missingHint: '请联系您的客户经理获取新的问卷链接。',
    errors: '有题目未填写或填写有误，请查看下方提示。',
    greeting: '感谢您抽空填写，您的意见会帮助我们把服务做得更好。',
    other: 'English',
    points: '分',
  },
  en: {
    submit: 'Submit',
    required: 'required',
    optional: 'optional',
    yes: 'Yes',
    no: 'No',
    npsLow: 'Not at all likely',
    npsHigh: 'Extremely likely',
    thanks: 'Thank you for your feedback!',
    answered: 'You have already answered this survey. Thank you!',
    missing: 'This link is not valid or has expired',
    missingHint: 'Please ask your account manager for a new link.',
    errors: 'Some answers need a second look; see below.',
    greeting: 'Thank you for taking a moment; your answers help us serve you better.',
    other: '中文',
    points: '',
  },
} as const;

export function escapeText(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f1f1f;background:#f5f5f5;-webkit-text-size-adjust:100%}
main{max-width:560px;margin:0 auto;padding:16px}header{display:flex;justify-content:space-between;align-items:flex-start;gap:12px}h1{font-size:20px;margin:4px 0 8px}
.lang{font-size:14px;color:#1677ff;white-space:nowrap;display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:0 8px;margin:-6px -8px 0 0}p.intro{color:#595959;margin:0 0 12px;white-space:pre-wrap}
form,.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}fieldset{border:0;margin:0 0 20px;padding:0;min-width:0}
legend{font-weight:600;margin-bottom:8px;padding:0}.req{color:#cf1322;font-weight:400;font-size:13px}.opt{color:#8c8c8c;font-weight:400;font-size:13px}
.scale{display:flex;flex-wrap:wrap;gap:6px}.scale label{flex:1 0 44px;max-width:56px}.scale input,.choice input{position:absolute;opacity:0;width:1px;height:1px}
.scale span{display:block;text-align:center;padding:10px 0;border:1px solid #d9d9d9;border-radius:6px;background:#fff;min-height:44px}
.scale input:checked+span,.choice input:checked+span{background:#1677ff;border-color:#1677ff;color:#fff}
.scale input:focus-visible+span,.choice input:focus-visible+span{outline:2px solid #0958d9;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:12px;color:#8c8c8c;margin-top:4px}
.choice{display:block;margin:6px 0}.choice span{display:block;padding:10px 12px;border:1px solid #d9d9d9;border-radius:6px;min-height:44px}
textarea,input[type=number]{width:100%;font:inherit;padding:10px 12px;border:1px solid #d9d9d9;border-radius:6px}textarea{min-height:88px}
.error{color:#cf1322;font-size:14px;margin-top:6px}.summary{color:#cf1322;margin:0 0 12px}
button{width:100%;padding:12px;font:inherit;font-weight:600;color:#fff;background:#1677ff;border:0;border-radius:6px;min-height:48px}
.card{text-align:center;padding:32px 16px}`;

function page(locale: PageLocale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${escapeText(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function header(locale: PageLocale, title: string, switchTo: string | null): string {
  const other = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return `<header><h1>${escapeText(title)}</h1>${
    switchTo
      ? `<a class="lang" href="${escapeText(switchTo)}?lang=${other}" lang="${other}">${WORDS[locale].other}</a>`
      : ''
  }</header>`;
}

function questionHtml(
  question: SurveyQuestion,
  index: number,
  locale: PageLocale,
  value: string | string[] | undefined,
  error: string | undefined,
): string {
  const words = WORDS[locale];
  const name = escapeText(question.key);
  const id = `q${index}`;
  const values = new Set(Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const checked = (option: string) => (values.has(option) ? ' checked' : '');
  const described = error ? ` aria-describedby="${id}-error"` : '';
  const invalid = error ? ' aria-invalid="true"' : '';
  const required = question.required ? ' required' : '';
  const legend = `<legend id="${id}-legend">${index + 1}. ${escapeText(question.labels[locale])} ${
    question.required
      ? `<span class="req">${words.required}</span>`
      : `<span class="opt">${words.optional}</span>`
  }</legend>`;
  let control = '';
  switch (question.type) {
    case 'nps':
    case 'rating': {
      const scale = scaleOf(question);
      if (scale.max - scale.min > 10) {
        control = `<input id="${id}" type="number" name="${name}" min="${scale.min}" max="${scale.max}" step="1" inputmode="numeric" value="${escapeText([...values][0] ?? '')}" aria-labelledby="${id}-legend"${required}${invalid}${described}>`;
        break;
      }
      const points = [];
      for (let score = scale.min; score <= scale.max; score += 1) {
        points.push(
          `<label><input type="radio" name="${name}" value="${score}"${checked(String(score))}${required}${invalid}><span>${score}</span></label>`,
        );
      }
      control = `<div class="scale">${points.join('')}</div>${
        question.type === 'nps'
          ? `<div class="ends" aria-hidden="true"><span>0 ${words.npsLow}</span><span>10 ${words.npsHigh}</span></div>`
          : ''
      }`;
      break;
    }
    case 'yes_no':
      control = ['yes', 'no']
        .map(
          (option) =>
            `<label class="choice"><input type="radio" name="${name}" value="${option}"${checked(option)}${required}${invalid}><span>${words[option as 'yes' | 'no']}</span></label>`,
        )
        .join('');
      break;
    case 'single_choice':
    case 'multi_choice': {
      const type = question.type === 'single_choice' ? 'radio' : 'checkbox';
      control = (question.options ?? [])
        .map(
          (option) =>
            `<label class="choice"><input type="${type}" name="${name}" value="${escapeText(option.value)}"${checked(option.value)}${type === 'radio' ? required : ''}${invalid}><span>${escapeText(option.labels[locale])}</span></label>`,
        )
        .join('');
      break;
    }
    case 'number':
      control = `<input id="${id}" type="number" name="${name}" inputmode="decimal" value="${escapeText([...values][0] ?? '')}" aria-labelledby="${id}-legend"${required}${invalid}${described}>`;
      break;
    case 'text':
      control = `<textarea id="${id}" name="${name}" maxlength="2000" aria-labelledby="${id}-legend"${required}${invalid}${described}>${escapeText([...values][0] ?? '')}</textarea>`;
      break;
  }
  return `<fieldset${described}>${legend}${control}${error ? `<div class="error" id="${id}-error">${escapeText(error)}</div>` : ''}</fieldset>`;
}

export function renderSurveyPage(
  survey: PageSurvey,
  options: {
    locale: PageLocale;
    action: string;
    values?: Record<string, string | string[] | undefined>;
    errors?: Record<string, string>;
  },
): string {
  const { locale } = options;
  const words = WORDS[locale];
  const errors = options.errors ?? {};
  const title = survey.title[locale];
  const body = `${header(locale, title, options.action)}${
    survey.description
      ? `<p class="intro">${escapeText(survey.description[locale])}</p>`
      : `<p class="intro">${words.greeting}</p>`
  }<form method="post" action="${escapeText(options.action)}?lang=${locale}" novalidate>${
    Object.keys(errors).length > 0 ? `<p class="summary" role="alert">${words.errors}</p>` : ''
  }${survey.questions
    .map((question, index) =>
      questionHtml(question, index, locale, options.values?.[question.key], errors[question.key]),
    )
    .join('')}<button type="submit">${words.submit}</button></form>`;
  return page(locale, title, body);
}

/** Thanks, already answered, or a link that does not open (one page for forged, expired and unknown). */
export function renderSurveyMessage(
  kind: 'thanks' | 'answered' | 'missing',
  locale: PageLocale,
  title: string | null = null,
): string {
  const words = WORDS[locale];
  const heading = kind === 'missing' ? words.missing : (title ?? '');
  const text = kind === 'thanks' ? words.thanks : kind === 'answered' ? words.answered : words.missingHint;
  return page(
    locale,
    heading || text,
    `<div class="card" role="status">${heading ? `<h1>${escapeText(heading)}</h1>` : ''}<p>${escapeText(text)}</p></div>`,
  );
}
