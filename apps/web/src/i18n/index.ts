import dayjs from 'dayjs';
import 'dayjs/locale/en';
import 'dayjs/locale/zh-cn';
import type { Locale as AntdLocale } from 'antd/es/locale';
import relativeTime from 'dayjs/plugin/relativeTime';
import i18n from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';
import type { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'crm.language';

// "3 天前" / "3 days ago" next to dates.
dayjs.extend(relativeTime);

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

function isLanguage(value: unknown): value is Language {
  return value === 'zh-CN' || value === 'en';
}

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyLanguage(language: Language) {
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = language;
  document.title = i18n.t('app.name');
}

/** antd's own words (date pickers, pagination, empty states) of each language loaded so far. */
const antdLocales: Partial<Record<Language, AntdLocale>> = {};

// Each language's words — ours and antd's — are their own chunks, loaded when the language is
// first used: the app shell carries none, a Chinese user never downloads the English ones (and
// the other way round). changeLanguage waits for them before the language changes.
const messages = resourcesToBackend((language: string) =>
  language === 'en'
    ? Promise.all([import('./en'), import('antd/es/locale/en_US')]).then(([words, antd]) => {
        antdLocales.en = antd.default;
        return words.en;
      })
    : Promise.all([import('./zh-CN'), import('antd/es/locale/zh_CN')]).then(([words, antd]) => {
        antdLocales['zh-CN'] = antd.default;
        return words.zhCN;
      }),
);

/** antd's words for the UI language (loaded with ours before the language is in use). */
export function antdLocale(language: Language): AntdLocale | undefined {
  return antdLocales[language];
}

/** Settles once the stored language's words are loaded; render after it. */
export const i18nReady: Promise<unknown> = i18n
  .use(messages)
  .use(initReactI18next)
  .init({
    lng: storedLanguage(),
    // Both languages have every key (en's type is zh-CN's), so nothing falls back: a key missing
    // at run time shows as itself, which the raw-text check catches.
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    load: 'currentOnly',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  })
  .then(() => applyLanguage(currentLanguage()));

i18n.on('languageChanged', (language) => {
  if (!isLanguage(language)) return;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this visit only.
  }
  applyLanguage(language);
});

/** The UI language, also sent to the server as `x-locale` so its messages match. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'zh-CN';
}

export { i18n };
