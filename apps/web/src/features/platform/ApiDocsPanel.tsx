import { ApiOutlined, DownloadOutlined, ReadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * 开放平台 → API 文档: where the reference lives. The interactive reference is the server's
 * `/api/v1/docs` page (Swagger UI from our own bundle, reading /api/v1/openapi.json, with
 * "Try it out" using a key); the document itself can be imported into Postman or Apifox.
 */
export function ApiDocsPanel() {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16}>
      <Alert
        type="info"
        showIcon
        message={t('platform.docs.intro')}
        description={t('platform.docs.limits')}
      />
      <Card>
        <Flex vertical gap={12}>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {t('platform.docs.reference')}
          </Typography.Paragraph>
          <Space wrap>
            <Button
              type="primary"
              icon={<ReadOutlined />}
              href="/api/v1/docs"
              target="_blank"
              rel="noreferrer"
            >
              {t('platform.docs.open')}
            </Button>
            <Button icon={<DownloadOutlined />} href="/api/v1/openapi.json" target="_blank" rel="noreferrer">
              {t('platform.docs.openapi')}
            </Button>
          </Space>
          <Typography.Text type="secondary">
            <ApiOutlined /> {t('platform.docs.base')}{' '}
            <Typography.Text code>
              {/* A path, as the API is called: English, not a word of the page's language. */}
              <span lang="en" translate="no">
                {`${window.location.origin}/api/v1`}
              </span>
            </Typography.Text>
          </Typography.Text>
        </Flex>
      </Card>
    </Flex>
  );
}
