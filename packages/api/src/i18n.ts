import type { z } from 'zod';
import { isErrorCode, translateError } from './errors';
import type { Locale } from './locale';

export { LOCALES, type Locale } from './locale';

/** Picks the caller's language: an explicit header from the web app, then Accept-Language; zh-CN by default. */
export function resolveLocale(
  explicit: string | null | undefined,
  acceptLanguage: string | null | undefined,
): Locale {
  if (explicit === 'en' || explicit === 'zh-CN') return explicit;
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

type Issue = z.core.$ZodIssue;

/** Validation messages a user can act on, written for each language rather than machine-translated. */
export function describeIssue(issue: Issue, locale: Locale): string {
  const zh = locale === 'zh-CN';
  // A schema may name one of our error codes as its message.
  if (isErrorCode(issue.message)) return translateError(issue.message, locale);
  // A shared refinement (userText) names its code and parameters.
  if (issue.code === 'custom') {
    const params = (issue.params ?? {}) as Record<string, string | number>;
    const reason = params.reason;
    if (typeof reason === 'string' && isErrorCode(reason)) return translateError(reason, locale, params);
  }
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? zh
            ? '此项不能为空'
            : 'This field is required'
          : zh
            ? `至少需要 ${issue.minimum} 个字符`
            : `Use at least ${issue.minimum} characters`;
      }
      return zh ? `不能小于 ${issue.minimum}` : `Must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string')
        return zh ? `最多 ${issue.maximum} 个字符` : `Use at most ${issue.maximum} characters`;
      return zh ? `不能大于 ${issue.maximum}` : `Must be at most ${issue.maximum}`;
    case 'invalid_format':
      if (issue.format === 'email') return zh ? '邮箱格式不正确' : 'Enter a valid email address';
      if (issue.format === 'uuid') return zh ? '编号格式不正确' : 'Invalid identifier';
      return zh ? '格式不正确' : 'Invalid format';
    case 'invalid_value':
      return zh ? '请从给定选项中选择' : 'Choose one of the listed options';
    case 'invalid_type':
      return issue.input === undefined
        ? zh
          ? '此项为必填项'
          : 'This field is required'
        : zh
          ? '填写的内容类型不正确'
          : 'This value has the wrong type';
    case 'unrecognized_keys':
      return zh ? `不支持的字段：${issue.keys.join('、')}` : `Unsupported fields: ${issue.keys.join(', ')}`;
    default:
      return zh ? '填写的内容无效' : 'This value is not valid';
  }
}
