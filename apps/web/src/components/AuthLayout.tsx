import { CheckCircleFilled } from '@ant-design/icons';
import { Card, Flex, Grid, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AntdProviders } from './AntdProviders';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Logo } from './Logo';

/** Sign-in, sign-up and invitation pages: a brand panel and a card with the form. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  // Undefined until measured: assume a wide screen rather than flash the narrow layout.
  const wide = screens.lg !== false;
  const features = [t('nav.customers'), t('nav.leads'), t('nav.tickets'), t('nav.dashboards')];
  // antd's theme, locale and App context are the layout's, not the app shell's.
  return (
    <AntdProviders>
      <Flex style={{ minHeight: '100vh', background: '#f4f6fb' }}>
        {wide ? (
          <Flex
            vertical
            justify="space-between"
            style={{
              width: 440,
              flex: 'none',
              padding: '40px 48px',
              color: '#fff',
              background: 'linear-gradient(160deg, #0f1b3d 0%, #1a3a8f 60%, #1f5eff 100%)',
            }}
          >
            <Logo />
            <div>
              <Typography.Title level={2} style={{ color: '#fff', marginBottom: 16 }}>
                {t('app.tagline')}
              </Typography.Title>
              <Flex vertical gap={12}>
                {features.map((feature) => (
                  <Flex
                    key={feature}
                    gap={10}
                    align="center"
                    style={{ color: 'rgba(255,255,255,0.85)', fontSize: 15 }}
                  >
                    <CheckCircleFilled style={{ color: '#7fb0ff' }} />
                    {feature}
                  </Flex>
                ))}
              </Flex>
            </div>
            <Typography.Text style={{ color: 'rgba(255,255,255,0.55)' }}>
              © {new Date().getFullYear()} {t('app.name')}
            </Typography.Text>
          </Flex>
        ) : null}
        <Flex vertical style={{ flex: 1, minWidth: 0 }}>
          <Flex justify={wide ? 'flex-end' : 'space-between'} align="center" style={{ padding: '16px 24px' }}>
            {wide ? null : <Logo dark={false} />}
            <LanguageSwitcher size="small" />
          </Flex>
          <Flex flex={1} align="center" justify="center" style={{ padding: '16px 16px 48px' }}>
            <Card
              style={{ width: '100%', maxWidth: 440 }}
              styles={{ body: { padding: screens.sm !== false ? 36 : 24 } }}
            >
              <Typography.Title level={3} style={{ marginTop: 0, marginBottom: subtitle ? 4 : 20 }}>
                {title}
              </Typography.Title>
              {subtitle ? (
                <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
                  {subtitle}
                </Typography.Paragraph>
              ) : null}
              {children}
            </Card>
          </Flex>
        </Flex>
      </Flex>
    </AntdProviders>
  );
}
