import { DownloadOutlined, HistoryOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, type ButtonProps, Checkbox, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { ExportsDrawer } from './ExportsDrawer';

type CreateExportInput = RouterInputs['exports']['create'];
/** What a list page hands over: its entity, filters, sort and visible columns. */
export type ExportRequest = Omit<CreateExportInput, 'format' | 'revealSensitive'>;

/** 首次合作时间, 纪念日 and the opening balance: what an import brings, so the file imports again. */
const IMPORT_TARGET_COLUMNS = [
  'firstCooperationOn',
  'anniversaryOn',
  'openingAmount12m',
  'openingAmountLifetime',
  'openingOrderCount',
  'openingLastDealOn',
  'openingAsOf',
];

/**
 * 导出 on a list page: pick CSV or Excel (and, for a role that may, whether sensitive fields
 * go out in full), then follow the run in the exports drawer, which offers the download.
 */
export function ExportButton({ request }: { request: () => ExportRequest }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const canExport = useCan('customers.export');
  const canReveal = useCan('sensitive.reveal');
  const [open, setOpen] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [format, setFormat] = useState<'csv' | 'xlsx'>('csv');
  const [reveal, setReveal] = useState(false);
  const [withTargets, setWithTargets] = useState(true);
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.exports.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async () => {
        setOpen(false);
        setReveal(false);
        void message.success(t('exports.started'));
        await queryClient.invalidateQueries({ queryKey: trpc.exports.list.queryKey() });
        setDrawerOpen(true);
      },
      onError: (error) => showError(error),
    }),
  );
  if (!canExport) return null;
  const base = request();
  const submit = () => {
    const current = request();
    create.mutate(
      (current.entity === 'customers'
        ? {
            ...current,
            columns: withTargets ? [...(current.columns ?? []), ...IMPORT_TARGET_COLUMNS] : current.columns,
            format,
            revealSensitive: canReveal && reveal,
          }
        : { ...current, format }) as CreateExportInput,
    );
  };
  return (
    <>
      <Space.Compact>
        <Button data-testid="export-open" icon={<DownloadOutlined />} onClick={() => setOpen(true)}>
          {t('exports.button')}
        </Button>
        <Button
          data-testid="exports-history"
          icon={<HistoryOutlined />}
          aria-label={t('exports.history')}
          title={t('exports.history')}
          onClick={() => setDrawerOpen(true)}
        />
      </Space.Compact>
      <Modal
        open={open}
        title={t('exports.title', { list: t(`exports.lists.${base.entity}`) })}
        okText={t('exports.submit')}
        okButtonProps={{ 'data-testid': 'export-submit' } as ButtonProps}
        confirmLoading={create.isPending}
        onOk={submit}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('exports.scope')}</Typography.Text>
          <div>
            <Typography.Text strong>{t('exports.format')}</Typography.Text>
            <Radio.Group
              style={{ display: 'flex', flexDirection: 'column', gap: 8, marginTop: 8 }}
              value={format}
              onChange={(event) => setFormat(event.target.value)}
            >
              <Radio value="csv" data-testid="export-format-csv">
                {t('exports.csv')}
              </Radio>
              <Radio value="xlsx" data-testid="export-format-xlsx">
                {t('exports.xlsx')}
              </Radio>
            </Radio.Group>
          </div>
          {base.entity === 'customers' ? (
            <div>
              <Checkbox
                data-testid="export-import-targets"
                checked={withTargets}
                onChange={(event) => setWithTargets(event.target.checked)}
              >
                {t('importTargets.export.include')}
              </Checkbox>
              <div>
                <Typography.Text type="secondary">{t('importTargets.export.hint')}</Typography.Text>
              </div>
            </div>
          ) : null}
          {base.entity === 'customers' && canReveal ? (
            <div>
              <Checkbox
                data-testid="export-reveal"
                checked={reveal}
                onChange={(event) => setReveal(event.target.checked)}
              >
                {t('exports.reveal')}
              </Checkbox>
              <div>
                <Typography.Text type="secondary">{t('exports.revealHint')}</Typography.Text>
              </div>
            </div>
          ) : null}
        </Space>
      </Modal>
      <ExportsDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)} />
    </>
  );
}
