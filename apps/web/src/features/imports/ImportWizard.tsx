import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { RowOutcomes } from './RowOutcomes';
import { TemplateDownload } from './TemplateDownload';
import { formatSize, type ImportEntity, UploadError, type UploadedFile, uploadImportFile } from './upload';

/** The detected encoding as people know it (GB18030 is what Chinese Windows calls GBK). */
const ENCODING_NAMES: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8',
  gb18030: 'GBK',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
};

const ACTIVE = new Set(['created', 'validating', 'committing']);
const CUSTOMER_REFERENCES = ['customer.number', 'customer.credit_code', 'customer.phone', 'customer.name'];

/** What the customer list imports; the lead list imports leads only (its own entry). */
const CUSTOMER_LIST_ENTITIES: readonly ImportEntity[] = ['customers', 'orders', 'interactions'];

/**
 * upload → map columns → dry run with the error report → commit with progress and cancel.
 * `entities`: the kinds this entry imports (one: no choice shown); `listPath`: where 返回列表 goes.
 */
export function ImportWizard({
  entities = CUSTOMER_LIST_ENTITIES,
  listPath = '/customers',
}: {
  entities?: readonly ImportEntity[];
  listPath?: '/customers' | '/leads';
} = {}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [entity, setEntity] = useState<ImportEntity>(entities[0] ?? 'customers');
  const [file, setFile] = useState<UploadedFile | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<{ name: string; message: string } | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [mappingId, setMappingId] = useState<string | null>(null);
  const [onMatch, setOnMatch] = useState<'update' | 'skip'>('skip');
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [commitId, setCommitId] = useState<string | null>(null);
  const [skipErrorRows, setSkipErrorRows] = useState(false);
  const [alreadyImported, setAlreadyImported] = useState(false);
  const [saving, setSaving] = useState(false);
  const fallback = { network: t('errors.network'), unknown: t('errors.unknown') };

  const step = commitId ? 3 : dryRunId ? 2 : file ? 1 : 0;
  // One key per dry run / commit attempt of this file and mapping: a double click starts one run.
  const dryRunKey = useIdempotencyKey(`${file?.fileId}:${JSON.stringify(mapping)}:${onMatch}:dry`);
  const commitKey = useIdempotencyKey(
    `${file?.fileId}:${JSON.stringify(mapping)}:${onMatch}:commit:${skipErrorRows}`,
  );

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
      setUploadError({
        name: selected.name,
        message: error instanceof UploadError ? error.message : t('errors.network'),
      });
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
    (entity === 'orders' || entity === 'interactions') &&
    !CUSTOMER_REFERENCES.some((key) => Object.values(mapping).includes(key));

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

  async function runCommit(skipErrors: boolean) {
    if (!file) return;
    setSkipErrorRows(skipErrors);
    try {
      const started = await startCommit.mutateAsync({
        fileId: file.fileId,
        entity,
        mapping,
        mappingId,
        onMatch,
        dryRun: false,
        skipErrorRows: skipErrors,
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
            {entities.length > 1 ? <Typography.Text>{t('imports.entity.label')}</Typography.Text> : null}
            <Segmented
              style={entities.length > 1 ? undefined : { display: 'none' }}
              data-testid="import-entity"
              aria-label={t('imports.entity.label')}
              value={entity}
              onChange={(value) => setEntity(value as ImportEntity)}
              options={entities.map((value) => ({
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
              title={t('imports.upload.failedNamed', { name: uploadError.name })}
              description={uploadError.message}
            />
          ) : null}
        </Flex>
      ) : null}

      {step === 1 && file ? (
        <Flex vertical gap={16}>
          <Typography.Text type="secondary" data-testid="import-file-info">
            {fileInfo(file)}
          </Typography.Text>
          <Flex gap={12} wrap align="center">
            <Segmented
              style={entities.length > 1 ? undefined : { display: 'none' }}
              aria-label={t('imports.entity.label')}
              value={entity}
              onChange={(value) => {
                setEntity(value as ImportEntity);
                setMapping(file.suggestions[value as ImportEntity] ?? {});
                setMappingId(null);
              }}
              options={entities.map((value) => ({
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
          {entity === 'leads' ? (
            <Typography.Text type="secondary" data-testid="import-lead-duplicates">
              {t('imports.map.leadDuplicates')}
            </Typography.Text>
          ) : null}
          {entity === 'customers' || entity === 'orders' || entity === 'leads' ? (
            <Flex vertical gap={4}>
              <Typography.Text strong>
                {entity === 'orders'
                  ? t('imports.map.onMatchOrders')
                  : entity === 'leads'
                    ? t('imports.map.onMatchLeads')
                    : t('imports.map.onMatch')}
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
          onCommit={(skipErrors) => void runCommit(skipErrors)}
          committing={startCommit.isPending}
        />
      ) : null}

      {step === 3 && commitId ? (
        <RunView
          runId={commitId}
          listPath={listPath}
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

  /** What the file is, in words: 客户.csv · CSV 文件 · 文件编码 GBK · 11 列 · 6 行. */
  function fileInfo(uploaded: UploadedFile): string {
    const parts = [uploaded.name];
    if (uploaded.format === 'csv') {
      parts.push(t('imports.upload.fileCsv'));
      if (uploaded.encoding)
        parts.push(
          t('imports.upload.encoding', {
            encoding: ENCODING_NAMES[uploaded.encoding] ?? uploaded.encoding.toUpperCase(),
          }),
        );
    } else {
      parts.push(t('imports.upload.fileXlsx'));
      if (uploaded.sheet) parts.push(t('imports.upload.sheet', { sheet: uploaded.sheet }));
    }
    parts.push(t('imports.upload.columns', { count: uploaded.headers.length }));
    parts.push(
      uploaded.rowCount === null || uploaded.rowCount === undefined
        ? t('imports.upload.size', { size: formatSize(uploaded.size) })
        : t('imports.upload.rows', { count: uploaded.rowCount }),
    );
    return parts.join(' · ');
  }
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

/** A run's progress, summary, row outcomes and error file; the commit step's result. */
function RunView({
  runId,
  listPath = '/customers',
  alreadyImported = false,
  onBack,
  onReupload,
  onCommit,
  committing,
  onCancel,
}: {
  runId: string;
  listPath?: '/customers' | '/leads';
  alreadyImported?: boolean;
  onBack?: () => void;
  onReupload: () => void;
  onCommit?: (skipErrorRows: boolean) => void;
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

  const checked = data.status === 'validated' || data.status === 'committed' || data.failure === 'HAS_ERRORS';
  const rows = checked ? <RowOutcomes run={data} /> : null;
  const download =
    data.errorRows > 0 ? (
      <Flex vertical gap={4} align="flex-end">
        <Space wrap>
          <Button
            data-testid="import-download-xlsx"
            icon={<DownloadOutlined />}
            href={`/api/imports/runs/${runId}/errors.xlsx`}
            download
          >
            {t('imports.check.downloadXlsx')}
          </Button>
          <Button
            data-testid="import-download-report"
            icon={<DownloadOutlined />}
            href={`/api/imports/runs/${runId}/errors.csv`}
            download
          >
            {t('imports.check.downloadCsv')}
          </Button>
        </Space>
        <Typography.Text type="secondary">{t('imports.check.downloadHelp')}</Typography.Text>
      </Flex>
    ) : null;

  if (data.dryRun) {
    const clean = data.status === 'validated' && data.errorRows === 0;
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
            data-testid="import-has-errors"
            title={
              data.validRows > 0
                ? t('imports.check.hasErrors', { errorRows: data.errorRows, valid: data.validRows })
                : t('imports.check.allErrors')
            }
            description={
              data.validRows > 0
                ? t('imports.check.plan', {
                    created: data.created,
                    updated: data.updated,
                    skipped: data.skipped,
                  })
                : undefined
            }
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
        {rows}
        {download}
        <Flex gap={8} justify="flex-end" wrap>
          {onBack ? <Button onClick={onBack}>{t('imports.check.backToMap')}</Button> : null}
          {clean || data.status !== 'validated' ? (
            <>
              <Button data-testid="import-reupload" onClick={onReupload}>
                {t('imports.check.reupload')}
              </Button>
              <Button
                data-testid="import-commit"
                type="primary"
                disabled={!clean}
                loading={committing}
                onClick={() => onCommit?.(false)}
              >
                {t('imports.check.commit')}
              </Button>
            </>
          ) : (
            <>
              <Button data-testid="import-fix" onClick={onReupload}>
                {t('imports.check.fix')}
              </Button>
              {data.validRows > 0 ? (
                <Button
                  data-testid="import-commit-valid"
                  type="primary"
                  loading={committing}
                  onClick={() => onCommit?.(true)}
                >
                  {t('imports.check.commitValid', { valid: data.validRows, errorRows: data.errorRows })}
                </Button>
              ) : null}
            </>
          )}
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
              : data.errorRows > 0
                ? 'warning'
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
            <Flex vertical gap={4} align="center">
              <span data-testid="import-result">
                {t('imports.commit.result', {
                  created: data.created,
                  updated: data.updated,
                  skipped: data.skipped,
                })}
              </span>
              {data.errorRows > 0 ? (
                <span data-testid="import-result-errors">
                  {t('imports.commit.resultErrors', { errorRows: data.errorRows })}
                </span>
              ) : null}
            </Flex>
          ) : null
        }
        extra={
          <Space>
            <Link to={listPath}>
              <Button type="primary">
                {listPath === '/leads' ? t('imports.commit.viewLeads') : t('imports.commit.viewCustomers')}
              </Button>
            </Link>
            <Button data-testid="import-again" onClick={onReupload}>
              {t('imports.commit.another')}
            </Button>
          </Space>
        }
      />
      {download}
      {rows}
    </Flex>
  );
}
