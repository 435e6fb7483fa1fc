import type { FormField, FormValues, PublicForm } from './public-doors';

/**
 * The hosted lead form as one small HTML page: no script, inline styles, readable on a phone,
 * in the form's language. The honeypot field is off-screen and out of the tab order.
 */
const WORDS = {
  'zh-CN': {
    name: '姓名',
    company: '公司名称',
    phone: '手机号',
    email: '邮箱',
    intent: '您的需求',
    message: '留言（选填）',
    submit: '提交',
    required: '必填',
    thanks: '提交成功，感谢您的关注！我们的顾问会尽快与您联系。',
    contactHint: '手机号和邮箱至少填写一项',
    honeypot: '请勿填写此项',
    intents: {
      price: '了解价格 / 获取报价',
      proposal: '获取方案',
      visit_booked: '预约到店 / 拜访',
      features: '咨询产品功能',
      product_question: '咨询商品',
      browsed: '先了解看看',
      other: '其他',
    },
  },
  en: {
    name: 'Name',
    company: 'Company',
    phone: 'Phone',
    email: 'Email',
    intent: 'What would you like?',
    message: 'Message (optional)',
    submit: 'Submit',
    required: 'required',
    thanks: 'Thank you! One of our advisers will be in touch soon.',
    contactHint: 'Enter a phone number or an email address',
    honeypot: 'Leave this empty',
    intents: {
      price: 'A price or a quote',
      proposal: 'A proposal',
      visit_booked: 'Book a visit',
      features: 'Ask about features',
      product_question: 'Ask about products',
      browsed: 'Just looking',
      other: 'Something else',
    },
  },
} as const;

function escapeText(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f1f1f;background:#f5f5f5}
main{max-width:480px;margin:0 auto;padding:24px 16px}h1{font-size:22px;margin:0 0 8px}p.intro{color:#595959;margin:0 0 16px;white-space:pre-wrap}
form{background:#fff;border-radius:8px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}label{display:block;font-weight:500;margin:12px 0 4px}
input,select,textarea{width:100%;font:inherit;padding:10px 12px;border:1px solid #d9d9d9;border-radius:6px;background:#fff}textarea{min-height:96px}
.error{color:#cf1322;font-size:14px;margin-top:4px}.hint{color:#8c8c8c;font-size:13px}.req{color:#cf1322}
button{margin-top:20px;width:100%;padding:12px;font:inherit;font-weight:600;color:#fff;background:#1677ff;border:0;border-radius:6px;cursor:pointer}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.thanks{background:#fff;border-radius:8px;padding:24px;text-align:center}`;

export function renderLeadFormPage(
  form: PublicForm,
  options: {
    action: string;
    thanks?: boolean;
    values?: FormValues;
    errors?: Partial<Record<FormField, string>>;
  },
): string {
  const words = WORDS[form.locale];
  const values = options.values ?? {};
  const errors = options.errors ?? {};
  const error = (field: FormField) =>
    errors[field]
      ? `<div class="error" id="${field}-error">${escapeText(errors[field] as string)}</div>`
      : '';
  const described = (field: FormField) =>
    errors[field] ? ` aria-invalid="true" aria-describedby="${field}-error"` : '';
  const input = (field: FormField, type: string, label: string, required: boolean, autocomplete: string) =>
    `<label for="${field}">${escapeText(label)}${required ? ` <span class="req" aria-hidden="true">*</span>` : ''}</label>
<input id="${field}" name="${field}" type="${type}" autocomplete="${autocomplete}" value="${escapeText(values[field] ?? '')}"${required ? ' required' : ''} maxlength="${field === 'company' ? 200 : 100}"${described(field)}>${error(field)}`;
  const body = options.thanks
    ? `<div class="thanks" role="status"><h1>${escapeText(form.title)}</h1><p>${escapeText(words.thanks)}</p></div>`
    : `<h1>${escapeText(form.title)}</h1>${form.intro ? `<p class="intro">${escapeText(form.intro)}</p>` : ''}
<form method="post" action="${escapeText(options.action)}" novalidate>
${input('name', 'text', words.name, true, 'name')}
${form.askCompany ? input('company', 'text', words.company, false, 'organization') : ''}
${input('phone', 'tel', words.phone, false, 'tel')}
${input('email', 'email', words.email, false, 'email')}
<div class="hint">${escapeText(words.contactHint)}</div>
<label for="intent">${escapeText(words.intent)} <span class="req" aria-hidden="true">*</span></label>
<select id="intent" name="intent" required${described('intent')}>${form.intents
        .map(
          (intent) =>
            `<option value="${escapeText(intent)}"${values.intent === intent ? ' selected' : ''}>${escapeText(
              (words.intents as Record<string, string>)[intent] ?? intent,
            )}</option>`,
        )
        .join('')}</select>${error('intent')}
<label for="message">${escapeText(words.message)}</label>
<textarea id="message" name="message" maxlength="1000"${described('message')}>${escapeText(values.message ?? '')}</textarea>${error('message')}
<div class="hp" aria-hidden="true"><label for="${HONEYPOT}">${escapeText(words.honeypot)}</label><input id="${HONEYPOT}" name="${HONEYPOT}" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">${escapeText(words.submit)}</button>
</form>`;
  return `<!doctype html><html lang="${form.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeText(form.title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const HONEYPOT = 'website';
