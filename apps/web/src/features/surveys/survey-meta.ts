import { useTranslation } from 'react-i18next';
import { languageOf } from '../industry/json-schema';

export type Bilingual = { 'zh-CN': string; en: string };

/** A plugin's or tenant's text in the reader's language. */
export function useBilingual() {
  const { i18n } = useTranslation();
  const language = languageOf(i18n.language);
  return (labels: Bilingual | null | undefined) => (labels ? labels[language] : '');
}

/** What an answer reads like: scores as numbers, yes/no in words, choices by their labels. */
export function useAnswerText() {
  const { t } = useTranslation();
  return (value: unknown): string => {
    if (value === true) return t('surveys.answer.yes');
    if (value === false) return t('surveys.answer.no');
    if (Array.isArray(value)) return value.map(String).join('、');
    return value === null || value === undefined ? '' : String(value);
  };
}
