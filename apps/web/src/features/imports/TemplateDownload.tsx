import { DownloadOutlined, FileExcelOutlined, FileTextOutlined } from '@ant-design/icons';
import { Button, Flex, Popover, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportEntity } from './upload';

type HeaderLanguage = 'zh-CN' | 'en';

/** The URL of an import template (GET /api/imports/template, the session cookie authenticates it). */
export function templateUrl(kind: ImportEntity, format: 'csv' | 'xlsx', locale: HeaderLanguage): string {
  return `/api/imports/template?${new URLSearchParams({ kind, format, locale }).toString()}`;
}

/**
 * 下载模板: the import template of a kind as CSV or Excel, headers in the user's language
 * by default, with a switch to the other.
 */
export function TemplateDownload({ kind, size }: { kind: ImportEntity; size?: 'middle' | 'large' }) {
  const { t, i18n } = useTranslation();
  const [language, setLanguage] = useState<HeaderLanguage>(i18n.language === 'en' ? 'en' : 'zh-CN');
  const content = (
    <Flex vertical gap={12} style={{ maxWidth: 320 }} data-testid="import-template-panel">
      <Typography.Text type="secondary">{t('importTargets.template.hint')}</Typography.Text>
      <Flex align="center" gap={8}>
        <Typography.Text>{t('importTargets.template.headers')}</Typography.Text>
        <Segmented
          data-testid="import-template-language"
          aria-label={t('importTargets.template.headers')}
          size="small"
          value={language}
          onChange={(value) => setLanguage(value as HeaderLanguage)}
          options={[
            { value: 'zh-CN', label: t('importTargets.template.zh') },
            { value: 'en', label: t('importTargets.template.en') },
          ]}
        />
      </Flex>
      <Flex gap={8}>
        <Button
          data-testid="import-template-xlsx"
          icon={<FileExcelOutlined />}
          href={templateUrl(kind, 'xlsx', language)}
          download
        >
          {t('importTargets.template.xlsx')}
        </Button>
        <Button
          data-testid="import-template-csv"
          icon={<FileTextOutlined />}
          href={templateUrl(kind, 'csv', language)}
          download
        >
          {t('importTargets.template.csv')}
        </Button>
      </Flex>
    </Flex>
  );
  return (
    <Popover trigger="click" title={t('importTargets.template.title')} content={content} placement="bottom">
      <Button data-testid="import-template" icon={<DownloadOutlined />} size={size}>
        {t('importTargets.template.download')}
      </Button>
    </Popover>
  );
}
