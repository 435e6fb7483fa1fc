import { EyeOutlined, HistoryOutlined, RollbackOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Result,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  formatSettingValue,
  type JsonSchema,
  labelForPath,
  languageOf,
  schemaAt,
} from '../../../features/industry/json-schema';
import { SchemaFields } from '../../../features/industry/SchemaFields';
import { MovingSample, TierMoveMatrix, type TierPreview } from '../../../features/industry/TierMoveMatrix';
import { PlanChangesSummary } from '../../../features/plans/PlanChangesSummary';
import { RemindersCard } from '../../../features/reminders/RemindersCard';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/industry')({
  component: IndustrySettingsPage,
});

type Settings = RouterOutputs['industry']['settings'];
type Values = Record<string, unknown>;

function IndustrySettingsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const canEdit = useCan('tenant.update');
  const canManageReminders = useCan('plans.manage');
  const current = useQuery(trpc.industry.current.queryOptions());
  const available = current.data?.state === 'ok';
  const settings = useQuery({ ...trpc.industry.settings.queryOptions(), enabled: available });

  let body: ReactNode;
  const failed = current.isError ? current.error : settings.isError ? settings.error : null;
  if (failed) {
    body = (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={errorMessage(failed, { network: t('errors.network'), unknown: t('errors.unknown') })}
        extra={
          <Button onClick={() => void (current.isError ? current.refetch() : settings.refetch())}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  } else if (current.data?.state === 'unavailable') {
    body = (
      <Result
        status="warning"
        data-testid="industry-unavailable"
        title={t('industryConfig.unavailableTitle')}
        subTitle={current.data.message}
      />
    );
  } else if (!settings.data) {
    body = <Skeleton active paragraph={{ rows: 12 }} />;
  } else {
    body = (
      <Flex vertical gap={16}>
        <IndustrySettings data={settings.data} canEdit={canEdit} />
        {canManageReminders ? <RemindersCard /> : null}
      </Flex>
    );
  }

  return (
    <>
      <SettingsPageHeader title={t('industryConfig.title')} subtitle={t('industryConfig.subtitle')} />
      {canEdit || !available ? null : (
        <Alert type="info" showIcon title={t('industryConfig.readOnly')} style={{ marginBottom: 16 }} />
      )}
      {body}
    </>
  );
}

function IndustrySettings({ data, canEdit }: { data: Settings; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const [preview, setPreview] = useState<{ result: TierPreview; settings: Values } | null>(null);
  const [note, setNote] = useState('');
  const language = languageOf(i18n.language);
  const schema = data.schema as JsonSchema;
  const profile = data.profile;

  useEffect(() => {
    if (!dirty) form.setFieldsValue(structuredClone(data.settings));
  }, [data, dirty, form]);

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.industry.pathFilter()),
      queryClient.invalidateQueries(trpc.customers.pathFilter()),
    ]);
  };
  const fieldErrors = { form, mapPath: (path: string) => path.replace(/^settings\./, '') };

  const previewMutation = useMutation(
    trpc.industry.preview.mutationOptions({
      onError: (error) => showError(error, fieldErrors),
    }),
  );
  const save = useMutation(
    trpc.industry.save.mutationOptions({
      onSuccess: async (result) => {
        setPreview(null);
        setNote('');
        setDirty(false);
        void message.success(
          result.retier === 'queued'
            ? t('industryConfig.preview.queued', { version: result.version })
            : t('industryConfig.preview.saved', {
                version: result.version,
                moved: result.moved ?? 0,
                count: result.moved ?? 0,
              }),
          6,
        );
        await refresh();
      },
      onError: (error) => {
        setPreview(null);
        showError(error, fieldErrors);
      },
    }),
  );
  const reset = useMutation(
    trpc.industry.reset.mutationOptions({
      onSuccess: async (result) => {
        setDirty(false);
        void message.success(t('industryConfig.form.resetDone', { version: result.version }), 6);
        await refresh();
      },
      onError: (error) => showError(error),
    }),
  );

  const runPreview = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      void message.error(t('industryConfig.form.fixErrors'));
      return;
    }
    const settings = { ...structuredClone(data.settings), ...values };
    previewMutation.mutate({ settings }, { onSuccess: (result) => setPreview({ result, settings }) });
  };

  const discard = () => {
    form.resetFields();
    form.setFieldsValue(structuredClone(data.settings));
    setDirty(false);
  };

  return (
    <Flex vertical gap={16}>
      <Card
        title={t('industryConfig.profile.title')}
        extra={
          <Typography.Text type="secondary">
            {data.version === 0
              ? t('industryConfig.profile.defaults')
              : `${t('industryConfig.profile.settingsVersion', { version: data.version })} · ${t('industryConfig.profile.changedBy', { name: data.changedBy?.name ?? t('industryConfig.history.system'), time: formatDateTime(data.changedAt) })}`}
          </Typography.Text>
        }
      >
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'name',
              label: t('industryConfig.profile.name'),
              children: <span data-testid="industry-profile-name">{profile.labels[language]}</span>,
            },
            { key: 'version', label: t('industryConfig.profile.version'), children: profile.version },
            ...(profile.modelKind
              ? [
                  {
                    key: 'model',
                    label: t('industryConfig.profile.model'),
                    children: t(`industryConfig.profile.models.${profile.modelKind}`),
                  },
                ]
              : []),
            {
              key: 'tiers',
              label: t('industryConfig.profile.tiers'),
              children: (
                <Space size={[4, 4]} wrap>
                  {profile.tiers.map((tier) => (
                    <Tag key={tier.key} color="blue">
                      {tier.labels[language]}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
        {profile.description ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {profile.description[language]}
          </Typography.Paragraph>
        ) : null}
        {data.storedInvalid ? (
          <Alert
            type="warning"
            showIcon
            title={t('industryConfig.profile.storedInvalid')}
            style={{ marginTop: 12 }}
          />
        ) : null}
      </Card>

      <Card
        title={t('industryConfig.form.title')}
        extra={
          canEdit ? (
            <Popconfirm
              title={t('industryConfig.form.resetConfirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => reset.mutate({ expectedVersion: data.version })}
            >
              <Button icon={<UndoOutlined />} loading={reset.isPending} data-testid="industry-reset">
                {t('industryConfig.form.reset')}
              </Button>
            </Popconfirm>
          ) : null
        }
      >
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          disabled={!canEdit}
          onValuesChange={() => setDirty(true)}
          initialValues={structuredClone(data.settings)}
        >
          <SchemaFields schema={schema} disabled={!canEdit} />
        </Form>
        {canEdit ? (
          <Flex gap={8} style={{ marginTop: 16 }}>
            <Button
              type="primary"
              icon={<EyeOutlined />}
              onClick={() => void runPreview()}
              loading={previewMutation.isPending}
              data-testid="industry-preview"
            >
              {t('industryConfig.form.preview')}
            </Button>
            <Button
              icon={<RollbackOutlined />}
              onClick={discard}
              disabled={!dirty}
              data-testid="industry-discard"
            >
              {t('industryConfig.form.discard')}
            </Button>
          </Flex>
        ) : null}
      </Card>

      <HistoryCard schema={schema} />

      <Modal
        open={preview !== null}
        width={880}
        title={t('industryConfig.preview.title')}
        onCancel={() => setPreview(null)}
        destroyOnHidden
        footer={
          <Flex justify="end" gap={8}>
            <Button onClick={() => setPreview(null)} data-testid="industry-preview-discard">
              {t('industryConfig.preview.discard')}
            </Button>
            <Button
              type="primary"
              loading={save.isPending}
              data-testid="industry-save"
              onClick={() =>
                preview &&
                save.mutate({
                  settings: preview.settings,
                  expectedVersion: data.version,
                  ...(note.trim() ? { note: note.trim() } : {}),
                })
              }
            >
              {t('industryConfig.preview.save')}
            </Button>
          </Flex>
        }
      >
        {preview ? (
          <Flex vertical gap={16}>
            <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="tier-move-summary">
              {preview.result.moving === 0
                ? t('industryConfig.preview.noMoves', {
                    total: preview.result.total,
                    count: preview.result.total,
                  })
                : t('industryConfig.preview.intro', {
                    total: preview.result.total,
                    count: preview.result.total,
                    moving: preview.result.moving,
                  })}
            </Typography.Paragraph>
            <TierMoveMatrix preview={preview.result} />
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('industryConfig.preview.sample')}
            </Typography.Title>
            <MovingSample preview={preview.result} />
            <PlanChangesSummary plans={preview.result.plans} />
            <div>
              <Typography.Text>{t('industryConfig.preview.note')}</Typography.Text>
              <Input.TextArea
                value={note}
                onChange={(event) => setNote(event.target.value)}
                maxLength={500}
                autoSize={{ minRows: 1, maxRows: 3 }}
                placeholder={t('industryConfig.preview.notePlaceholder')}
                data-testid="industry-note"
              />
            </div>
          </Flex>
        ) : null}
      </Modal>
    </Flex>
  );
}

function HistoryCard({ schema }: { schema: JsonSchema }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const history = useQuery(trpc.industry.history.queryOptions({ limit: 50 }));
  const language = languageOf(i18n.language);
  const describe = useMemo(
    () => (change: { path: string; from?: unknown; to?: unknown }) => {
      const at = schemaAt(schema, change.path);
      return t('industryConfig.history.changed', {
        label: labelForPath(schema, change.path, language),
        from: formatSettingValue(at, change.from, language),
        to: formatSettingValue(at, change.to, language),
        interpolation: { escapeValue: false },
      });
    },
    [schema, language, t],
  );
  return (
    <Card
      title={
        <span>
          <HistoryOutlined style={{ marginInlineEnd: 8 }} />
          {t('industryConfig.history.title')}
        </span>
      }
    >
      <List
        data-testid="industry-history"
        loading={history.isPending}
        dataSource={history.data ?? []}
        locale={{ emptyText: t('industryConfig.history.empty') }}
        renderItem={(entry) => (
          <List.Item key={entry.version}>
            <List.Item.Meta
              title={
                <Space size={8} wrap>
                  <Typography.Text strong>
                    {t('industryConfig.history.version', { version: entry.version })}
                  </Typography.Text>
                  {entry.reset ? <Tag color="orange">{t('industryConfig.history.reset')}</Tag> : null}
                  <Typography.Text type="secondary">
                    {entry.changedBy?.name ?? t('industryConfig.history.system')} ·{' '}
                    {formatDateTime(entry.changedAt)}
                  </Typography.Text>
                </Space>
              }
              description={
                <Flex vertical gap={2}>
                  {entry.note ? <Typography.Text italic>{entry.note}</Typography.Text> : null}
                  {entry.changes.length === 0 ? (
                    <Typography.Text type="secondary">
                      {t('industryConfig.history.noChanges')}
                    </Typography.Text>
                  ) : (
                    entry.changes.map((change) => (
                      <Typography.Text key={change.path} data-testid="industry-history-change">
                        {describe(change)}
                      </Typography.Text>
                    ))
                  )}
                </Flex>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
