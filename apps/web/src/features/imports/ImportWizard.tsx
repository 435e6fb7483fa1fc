import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { IMPORT_ENTITIES } from '@crm/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { TemplateDownload } from './TemplateDownload';
import { formatSize, type ImportEntity, UploadError, type UploadedFile, uploadImportFile } from './upload';

type Run = RouterOutputs['imports']['get'];
type ImportErrorRow = Run['errors'][number];

const ACTIVE = new Set(['created', 'validating', 'committing']);
const CUSTOMER_REFERENCES = ['customer.number', 'customer.credit_code', 'customer.phone', 'customer.name'];

/** upload → map columns → dry run with the error report → commit with progress and cancel. */
export function ImportWizard() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [entity, setEntity] = useState<ImportEntity>('customers');
  const [file, setFile] = useState<UploadedFile | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [mappingId, setMappingId] = useState<string | null>(null);
  const [onMatch, setOnMatch] = useState<'update' | 'skip'>('skip');
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [commitId, setCommitId] = useState<string | null>(null);
  const [alreadyImported, setAlreadyImported] = useState(false);
  const [saving, setSaving] = useState(false);
  const fallback = { network: t('errors.network'), unknown: t('errors.unknown') };

  const step = commitId ? 3 : dryRunId ? 2 : file ? 1 : 0;
  // One key per dry run / commit attempt of this file and mapping: a double click starts one run.
  const dryRunKey = useIdempotencyKey(`${file?.fileId}:${JSON.stringify(mapping)}:${onMatch}:dry`);
  const commitKey = useIdempotencyKey(`${file?.fileId}:${JSON.stringify(mapping)}:${onMatch}:commit`);

  function applyFile(uploaded: UploadedFile, forEntity: ImportEntity) {
    setFile(uploaded);
    setMapping(uploaded.suggestions[forEntity] ?? {});
    setMappingId(null);
    setDryRunId(null);
    setCommitId(null);
    setAlreadyImported(false);
  }

  async function upload(selected: File) {
    setUploading(true);
    setUploadError(null);
    try {
      applyFile(await uploadImportFile(selected), entity);
    } catch (error) {
      setUploadError(error instanceof UploadError ? error.message : t('errors.network'));
    } finally {
      setUploading(false);
    }
  }

  function reset() {
    setFile(null);
    setMapping({});
    setDryRunId(null);
    setCommitId(null);
    setAlreadyImported(false);
  }

  const startDry = useMutation(trpc.imports.start.mutationOptions({ trpc: idempotent(dryRunKey) }));
  const startCommit = useMutation(trpc.imports.start.mutationOptions({ trpc: idempotent(commitKey) }));
  const saveMapping = useMutation(trpc.imports.mappings.save.mutationOptions());
  const cancel = useMutation(trpc.imports.cancel.mutationOptions());

  const targets = file?.targets[entity] ?? [];
  const missing = targets.filter((target) => target.required && !Object.values(mapping).includes(target.key));
  const needsReference =
    entity !== 'customers' && !CUSTOMER_REFERENCES.some((key) => Object.values(mapping).includes(key));

  async function runDry() {
    if (!file) return;
    try {
      const started = await startDry.mutateAsync({
        fileId: file.fileId,
        entity,
        mapping,
        mappingId,
        onMatch,
        dryRun: true,
      });
      setDryRunId(started.runId);
    } catch (error) {
      message.error(errorMessage(error, fallback));
    }
  }

  async function runCommit() {
    if (!file) return;
    try {
      const started = await startCommit.mutateAsync({
        fileId: file.fileId,
        entity,
        mapping,
        mappingId,
        onMatch,
        dryRun: false,
      });
      setAlreadyImported(started.alreadyImported);
      setCommitId(started.runId);
    } catch (error) {
      message.error(errorMessage(error, fallback));
    }
  }

  return (
    <Card>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('imports.steps.upload') },
          { title: t('imports.steps.map') },
          { title: t('imports.steps.check') },
          { title: t('imports.steps.commit') },
        ]}
      />
      {step === 0 ? (
        <Flex vertical gap={16}>
          <Flex align="center" gap={12} wrap>
            <Typography.Text>{t('imports.entity.label')}</Typography.Text>
            <Segmented
              data-testid="import-entity"
              aria-label={t('imports.entity.label')}
              value={entity}
              onChange={(value) => setEntity(value as ImportEntity)}
              options={IMPORT_ENTITIES.map((value) => ({
                value,
                label: t(`imports.entity.${value}`),
              }))}
            />
            <TemplateDownload kind={entity} />
          </Flex>
          <Spin spinning={uploading} tip={t('imports.upload.uploading')}>
            <Upload.Dragger
              data-testid="import-upload"
              accept=".csv,.xlsx,.txt"
              multiple={false}
              showUploadList={false}
              beforeUpload={(selected) => {
                void upload(selected);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.upload.hint')}</p>
              <p className="ant-upload-hint">{t('imports.upload.formats')}</p>
            </Upload.Dragger>
          </Spin>
          {uploadError ? (
            <Alert
              data-testid="import-upload-error"
              type="error"
              showIcon
              title={t('imports.upload.failed')}
              description={uploadError}
            />
          ) : null}
        </Flex>
      ) : null}

      {step === 1 && file ? (
        <Flex vertical gap={16}>
          <Typography.Text type="secondary" data-testid="import-file-info">
            {t('imports.upload.fileInfo', {
              name: file.name,
              size: formatSize(file.size),
              format: file.format === 'csv' ? `CSV ${file.encoding ?? ''}`.trim() : 'Excel',
            })}
          </Typography.Text>
          <Flex gap={12} wrap align="center">
            <Segmented
              aria-label={t('imports.entity.label')}
              value={entity}
              onChange={(value) => {
                setEntity(value as ImportEntity);
                setMapping(file.suggestions[value as ImportEntity] ?? {});
                setMappingId(null);
              }}
              options={IMPORT_ENTITIES.map((value) => ({
                value,
                label: t(`imports.entity.${value}`),
              }))}
            />
            <Select
              data-testid="import-saved-mappings"
              style={{ minWidth: 240 }}
              placeholder={t('imports.map.savedMappings')}
              value={mappingId ?? undefined}
              allowClear
              onChange={(id?: string) => {
                setMappingId(id ?? null);
                const saved = file.mappings.find((candidate) => candidate.id === id);
                if (saved) setMapping(saved.columns);
              }}
              options={file.mappings
                .filter((candidate) => candidate.entity === entity)
                .map((candidate) => ({ value: candidate.id, label: candidate.name }))}
            />
            <Button data-testid="import-save-mapping" onClick={() => setSaving(true)}>
              {t('imports.map.saveAs')}
            </Button>
          </Flex>
          <MappingTable file={file} entity={entity} mapping={mapping} onChange={setMapping} />
          {entity !== 'interactions' ? (
            <Flex vertical gap={4}>
              <Typography.Text strong>
                {entity === 'orders' ? t('imports.map.onMatchOrders') : t('imports.map.onMatch')}
              </Typography.Text>
              <Radio.Group
                data-testid="import-on-match"
                value={onMatch}
                onChange={(event) => setOnMatch(event.target.value)}
                options={[
                  { value: 'skip', label: t('imports.map.skipExisting') },
                  { value: 'update', label: t('imports.map.update') },
                ]}
              />
              {entity === 'customers' ? (
                <Typography.Text type="secondary">{t('imports.map.onMatchHelp')}</Typography.Text>
              ) : null}
            </Flex>
          ) : null}
          {missing.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={t('imports.map.missingRequired', {
                fields: missing.map((target) => target.label).join('、'),
              })}
            />
          ) : null}
          {needsReference ? (
            <Alert type="warning" showIcon title={t('imports.map.needCustomerReference')} />
          ) : null}
          <Flex gap={8} justify="flex-end">
            <Button onClick={reset}>{t('imports.check.reupload')}</Button>
            <Button
              data-testid="import-dry-run"
              type="primary"
              disabled={missing.length > 0 || needsReference}
              loading={startDry.isPending}
              onClick={() => void runDry()}
            >
              {t('imports.map.dryRun')}
            </Button>
          </Flex>
          <SaveMappingModal
            open={saving}
            onCancel={() => setSaving(false)}
            loading={saveMapping.isPending}
            onSave={async (name) => {
              try {
                const saved = await saveMapping.mutateAsync({ entity, name, columns: mapping });
                setFile({ ...file, mappings: [...file.mappings.filter((m) => m.id !== saved.id), saved] });
                setMappingId(saved.id);
                setSaving(false);
                message.success(t('imports.map.saved', { name }));
                await queryClient.invalidateQueries({ queryKey: trpc.imports.mappings.list.queryKey() });
              } catch (error) {
                message.error(errorMessage(error, fallback));
              }
            }}
          />
        </Flex>
      ) : null}

      {step === 2 && dryRunId ? (
        <RunView
          runId={dryRunId}
          onBack={() => setDryRunId(null)}
          onReupload={reset}
          onCommit={() => void runCommit()}
          committing={startCommit.isPending}
        />
      ) : null}

      {step === 3 && commitId ? (
        <RunView
          runId={commitId}
          alreadyImported={alreadyImported}
          onReupload={reset}
          onCancel={async () => {
            try {
              await cancel.mutateAsync({ runId: commitId });
            } catch (error) {
              message.error(errorMessage(error, fallback));
            }
          }}
        />
      ) : null}
    </Card>
  );
}

function MappingTable({
  file,
  entity,
  mapping,
  onChange,
}: {
  file: UploadedFile;
  entity: ImportEntity;
  mapping: Record<string, string>;
  onChange: (mapping: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const targets = file.targets[entity] ?? [];
  const rows = file.headers.map((header, index) => ({
    key: `${index}`,
    header,
    samples: file.preview
      .slice(0, 3)
      .map((row) => row.cells[index] ?? '')
      .filter((value) => value !== ''),
  }));
  const used = new Set(Object.values(mapping));
  return (
    <Table
      data-testid="import-mapping"
      size="small"
      pagination={false}
      dataSource={rows}
      scroll={{ y: 420 }}
      columns={[
        { title: t('imports.map.header'), dataIndex: 'header', width: '28%' },
        {
          title: t('imports.map.samples'),
          dataIndex: 'samples',
          render: (samples: string[]) => (
            <Typography.Text type="secondary" ellipsis>
              {samples.join(' · ')}
            </Typography.Text>
          ),
        },
        {
          title: t('imports.map.target'),
          dataIndex: 'header',
          width: '32%',
          render: (header: string) => (
            <Select
              data-testid={`import-target-${header}`}
              style={{ width: '100%' }}
              showSearch
              optionFilterProp="label"
              placeholder={t('imports.map.skip')}
              allowClear
              value={mapping[header] || undefined}
              onChange={(value?: string) => {
                const next = { ...mapping };
                if (value) next[header] = value;
                else delete next[header];
                onChange(next);
              }}
              options={targets.map((target) => ({
                value: target.key,
                label: target.required
                  ? t('imports.map.requiredLabel', { label: target.label })
                  : target.label,
                disabled: used.has(target.key) && mapping[header] !== target.key,
              }))}
            />
          ),
        },
      ]}
    />
  );
}

function SaveMappingModal({
  open,
  onCancel,
  onSave,
  loading,
}: {
  open: boolean;
  onCancel: () => void;
  onSave: (name: string) => Promise<void>;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  return (
    <Modal
      open={open}
      title={t('imports.map.saveTitle')}
      onCancel={onCancel}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={loading}
      onOk={() => void form.validateFields().then((values) => onSave(values.name.trim()))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="name"
          label={t('imports.map.saveName')}
          rules={[{ required: true, max: 50, whitespace: true }]}
        >
          <Input data-testid="import-mapping-name" maxLength={50} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A run's progress, summary and error report; the commit step's result. */
function RunView({
  runId,
  alreadyImported = false,
  onBack,
  onReupload,
  onCommit,
  committing,
  onCancel,
}: {
  runId: string;
  alreadyImported?: boolean;
  onBack?: () => void;
  onReupload: () => void;
  onCommit?: () => void;
  committing?: boolean;
  onCancel?: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.imports.get.queryOptions({ runId }),
    refetchInterval: (query) => (query.state.data && !ACTIVE.has(query.state.data.status) ? false : 1000),
    staleTime: 0,
  });
  const data = run.data;
  if (!data) return <Spin />;
  const active = ACTIVE.has(data.status);
  const percent = data.fileSize > 0 ? Math.min(99, Math.floor((data.bytesRead / data.fileSize) * 100)) : 0;
  const reportUrl = `/api/imports/runs/${runId}/errors.csv`;

  if (active) {
    return (
      <Flex vertical gap={16} data-testid="import-progress">
        <Typography.Text>
          {data.dryRun
            ? t('imports.check.running', { rows: data.rowsRead })
            : t('imports.commit.running', { rows: data.rowsRead })}
        </Typography.Text>
        <Progress percent={percent} status="active" />
        {onCancel ? (
          <Popconfirm title={t('imports.commit.cancelConfirm')} onConfirm={() => void onCancel()}>
            <Button danger data-testid="import-cancel" loading={data.cancelRequested}>
              {data.cancelRequested ? t('imports.commit.cancelling') : t('imports.commit.cancel')}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
    );
  }

  const errorTable =
    data.errorCount > 0 ? (
      <ErrorTable runId={runId} first={data.errors} firstCursor={data.errorsCursor} total={data.errorCount} />
    ) : null;
  const download =
    data.errorCount > 0 ? (
      <Button data-testid="import-download-report" icon={<DownloadOutlined />} href={reportUrl} download>
        {t('imports.check.download')}
      </Button>
    ) : null;

  if (data.dryRun) {
    return (
      <Flex vertical gap={16} data-testid="import-dry-run-result">
        <Typography.Text strong data-testid="import-summary">
          {t('imports.check.summary', {
            total: data.totalRows,
            valid: data.validRows,
            errorRows: data.errorRows,
          })}
        </Typography.Text>
        {data.status === 'failed' ? (
          <Alert type="error" showIcon title={data.failureMessage ?? t('imports.commit.failed')} />
        ) : data.errorRows > 0 ? (
          <Alert
            type="warning"
            showIcon
            title={t('imports.check.hasErrors', { errorRows: data.errorRows })}
          />
        ) : (
          <Alert
            type="success"
            showIcon
            title={t('imports.check.noErrors')}
            description={t('imports.check.plan', {
              created: data.created,
              updated: data.updated,
              skipped: data.skipped,
            })}
          />
        )}
        {errorTable}
        <Flex gap={8} justify="flex-end" wrap>
          {download}
          {onBack ? <Button onClick={onBack}>{t('imports.check.backToMap')}</Button> : null}
          <Button data-testid="import-reupload" onClick={onReupload}>
            {t('imports.check.reupload')}
          </Button>
          <Button
            data-testid="import-commit"
            type="primary"
            disabled={data.status !== 'validated' || data.errorRows > 0}
            loading={committing}
            onClick={onCommit}
          >
            {t('imports.check.commit')}
          </Button>
        </Flex>
      </Flex>
    );
  }

  const succeeded = data.status === 'committed';
  return (
    <Flex vertical gap={16} data-testid="import-commit-result">
      <Result
        status={
          succeeded
            ? alreadyImported
              ? 'info'
              : 'success'
            : data.status === 'cancelled'
              ? 'warning'
              : 'error'
        }
        title={
          alreadyImported
            ? t('imports.commit.alreadyImported')
            : succeeded
              ? t('imports.commit.done')
              : data.status === 'cancelled'
                ? t('imports.commit.cancelled')
                : (data.failureMessage ?? t('imports.commit.failed'))
        }
        subTitle={
          succeeded ? (
            <span data-testid="import-result">
              {t('imports.commit.result', {
                created: data.created,
                updated: data.updated,
                skipped: data.skipped,
              })}
            </span>
          ) : null
        }
        extra={
          <Space>
            <Link to="/customers">
              <Button type="primary">{t('imports.commit.viewCustomers')}</Button>
            </Link>
            <Button data-testid="import-again" onClick={onReupload}>
              {t('imports.commit.another')}
            </Button>
          </Space>
        }
      />
      {errorTable}
      {download}
    </Flex>
  );
}

function ErrorTable({
  runId,
  first,
  firstCursor,
  total,
}: {
  runId: string;
  first: ImportErrorRow[];
  firstCursor: string | null;
  total: number;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [more, setMore] = useState<ImportErrorRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(firstCursor);
  const [loading, setLoading] = useState(false);
  const rows = useMemo(
    () => [...first, ...more].map((row, index) => ({ ...row, key: `${row.rowNumber}-${index}` })),
    [first, more],
  );
  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await queryClient.fetchQuery(
        trpc.imports.errors.queryOptions({ runId, cursor, limit: 200 }),
      );
      setMore((previous) => [...previous, ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setLoading(false);
    }
  }
  return (
    <Flex vertical gap={8}>
      <Table
        data-testid="import-errors"
        size="small"
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('imports.errors.row'), dataIndex: 'rowNumber', width: 80 },
          {
            title: t('imports.errors.column'),
            dataIndex: 'column',
            width: 160,
            render: (column: string) => column || t('imports.errors.wholeRow'),
          },
          { title: t('imports.errors.value'), dataIndex: 'value', width: 200, ellipsis: true },
          { title: t('imports.errors.reason'), dataIndex: 'message' },
        ]}
      />
      <Flex align="center" gap={12}>
        <Typography.Text type="secondary">
          {rows.length} / {total}
        </Typography.Text>
        {cursor ? (
          <Button size="small" onClick={() => void loadMore()} loading={loading}>
            {t('common.loadMore')}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}
