import { GlobalOutlined } from '@ant-design/icons';
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';

/** 中文 / English; the choice is kept in localStorage. */
export function LanguageSwitcher({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      size={size}
      aria-label={t('language.label')}
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(language) => void i18n.changeLanguage(language)}
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
