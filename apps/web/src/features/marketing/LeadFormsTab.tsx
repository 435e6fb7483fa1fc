import { CodeOutlined, EditOutlined, LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Modal, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { type LeadForm, LeadFormModal } from './LeadFormModal';

/** 线索表单: the tenant's hosted forms, their submissions, and the snippet to embed each. */
export function LeadFormsTab() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [editing, setEditing] = useState<LeadForm | 'new' | null>(null);
  const [embedding, setEmbedding] = useState<LeadForm | null>(null);
  const forms = useQuery(trpc.marketing.forms.list.queryOptions());

  const columns: ColumnsType<LeadForm> = [
    { key: 'name', dataIndex: 'name', title: t('marketing.forms.columns.name'), width: 200, ellipsis: true },
    { key: 'title', dataIndex: 'title', title: t('marketing.forms.columns.title'), ellipsis: true },
    {
      key: 'locale',
      dataIndex: 'locale',
      title: t('marketing.forms.columns.locale'),
      width: 110,
      render: (locale: LeadForm['locale']) => t(`marketing.locales.${locale}`),
    },
    {
      key: 'submissions',
      dataIndex: 'submissions',
      title: t('marketing.forms.columns.submissions'),
      width: 110,
      align: 'right',
    },
    {
      key: 'active',
      dataIndex: 'active',
      title: t('marketing.forms.columns.active'),
      width: 90,
      render: (active: boolean) =>
        active ? (
          <Tag color="success">{t('marketing.forms.active')}</Tag>
        ) : (
          <Tag>{t('marketing.forms.inactive')}</Tag>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 300,
      render: (_: unknown, leadForm: LeadForm) => (
        <Flex gap={4} wrap>
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            aria-label={`${t('marketing.forms.edit')} ${leadForm.name}`}
            onClick={() => setEditing(leadForm)}
          >
            {t('marketing.forms.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<CodeOutlined />}
            data-testid="lead-form-embed"
            aria-label={`${t('marketing.forms.embed')} ${leadForm.name}`}
            onClick={() => setEmbedding(leadForm)}
          >
            {t('marketing.forms.embed')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<LinkOutlined />}
            href={leadForm.url}
            target="_blank"
            rel="noreferrer"
          >
            {t('marketing.forms.open')}
          </Button>
        </Flex>
      ),
    },
  ];

  return (
    <Card
      title={t('marketing.tabs.forms')}
      extra={
        <Button
          data-testid="lead-form-create"
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
        >
          {t('marketing.forms.create')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<LeadForm>
        data-testid="lead-forms-table"
        rowKey="id"
        size="middle"
        loading={forms.isPending}
        dataSource={forms.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('marketing.forms.empty')} /> }}
      />
      <LeadFormModal
        open={editing !== null}
        leadForm={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
      />
      <Modal
        open={embedding !== null}
        title={t('marketing.forms.embedTitle')}
        onCancel={() => setEmbedding(null)}
        footer={null}
        width={640}
      >
        {embedding ? (
          <>
            <Typography.Paragraph type="secondary">{t('marketing.forms.embedHint')}</Typography.Paragraph>
            <Typography.Paragraph
              data-testid="lead-form-snippet"
              copyable={{
                text: embedding.snippet,
                tooltips: [t('common.copy'), t('marketing.forms.copied')],
              }}
              code
              style={{ wordBreak: 'break-all' }}
            >
              {embedding.snippet}
            </Typography.Paragraph>
            <Typography.Text strong>{t('marketing.forms.link')}</Typography.Text>
            <Typography.Paragraph copyable={{ text: embedding.url }} style={{ wordBreak: 'break-all' }}>
              <a href={embedding.url} target="_blank" rel="noreferrer">
                {embedding.url}
              </a>
            </Typography.Paragraph>
          </>
        ) : null}
      </Modal>
    </Card>
  );
}
