import { Card, Result, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from './PageHeader';
import { NAV_ITEMS } from './shell/nav';

type Area = 'leads' | 'opportunities' | 'tasks' | 'tickets' | 'surveys' | 'dashboards';

/** A product area that is not built yet: says so plainly, and what it will do. */
export function ComingSoon({ area }: { area: Area }) {
  const { t } = useTranslation();
  const icon = NAV_ITEMS.find((item) => item.key === area)?.icon;
  return (
    <>
      <PageHeader
        title={t(`comingSoon.${area}.title`)}
        tags={<Tag color="processing">{t('comingSoon.badge')}</Tag>}
      />
      <Card>
        <Result
          data-testid="coming-soon"
          icon={<span style={{ fontSize: 64, color: '#1f5eff' }}>{icon}</span>}
          title={t('comingSoon.hint')}
          subTitle={
            <Typography.Paragraph
              type="secondary"
              style={{ maxWidth: 560, margin: '8px auto 0', fontSize: 15 }}
            >
              {t(`comingSoon.${area}.description`)}
            </Typography.Paragraph>
          }
        />
      </Card>
    </>
  );
}
