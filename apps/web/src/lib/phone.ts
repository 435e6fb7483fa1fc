import { formatPhone } from '@crm/domain';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * How a stored phone (E.164, `+8657187558212;ext=12`) is shown in the UI language:
 * 138 1234 5678, 0571-8755 8212 转 12 / ext. 12, +1 415 555 0100 (`formatPhone` in @crm/domain).
 */
export function usePhoneFormat(): (stored: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language?.startsWith('en') ? 'en' : 'zh-CN';
  return useCallback((stored) => formatPhone(stored, locale), [locale]);
}
