import { GlobalOutlined } from '@ant-design/icons';
import { Segmented } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';

/** 中文 / English; the choice is kept in localStorage. */
export function LanguageSwitcher({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language === 'en' ? 'en' : 'zh-CN';
  // The choice, shown at once, until the app has switched to it.
  const [chosen, setChosen] = useState<Language | null>(null);
  useEffect(() => {
    if (chosen === current) setChosen(null);
  }, [chosen, current]);
  return (
    <Segmented<Language>
      size={size}
      aria-label={t('language.label')}
      value={chosen ?? current}
      onChange={(language) => {
        setChosen(language);
        // The switch paints its new choice first; the whole page then re-renders in the new
        // language in a task of its own (a render react-i18next does not let React split), so
        // the click itself answers within a frame.
        requestAnimationFrame(() => setTimeout(() => void i18n.changeLanguage(language)));
      }}
      options={LANGUAGES.map((language) => ({
        value: language,
        label: (
          <span lang={language} data-testid={`language-${language}`}>
            {language === 'zh-CN' ? <GlobalOutlined style={{ marginInlineEnd: 4 }} /> : null}
            {t(`language.${language}`)}
          </span>
        ),
      }))}
    />
  );
}
