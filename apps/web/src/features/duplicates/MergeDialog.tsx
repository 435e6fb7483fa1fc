import { SwapOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { App, Button, Flex, Modal, Radio, Spin, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../lib/api-types';
import { formatMoney } from '../../lib/format';
import { usePhoneFormat } from '../../lib/phone';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useCustomFields, useFieldLabel, useFormatCustomValue } from '../customers/profile-meta';

/** The profile fields a merge lets the user choose (as customers.merge names them). */
const FIELDS = [
  'name',
  'kind',
  'phone',
  'email',
  'creditCode',
  'ownerUserId',
  'customerNumber',
  'industry',
  'birthday',
  'foundedOn',
  'anniversaryOn',
  'addresses',
  'explicitNeeds',
  'implicitNeeds',
  'painPoints',
  'purchasePlan',
  'purchasePlanAmount',
  'purchasePlanExpectedOn',
  'needType',
] as const;
type Field = (typeof FIELDS)[number];
type Side = 'survivor' | 'merged';
type Row = { key: string; label: string; survivor: string | null; merged: string | null };

function blank(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

type Props = {
  open: boolean;
  onClose: () => void;
  /** The pair, in either order; the one with more orders is kept unless the user swaps. */
  customerIds: [string, string];
  candidateId?: string;
  onMerged?: () => void;
};

/** Two customers side by side, a radio per differing field, then customers.merge. */
export function MergeDialog({ open, onClose, customerIds, candidateId, onMerged }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const { all: customFields } = useCustomFields();
  const fieldLabel = useFieldLabel();
  const formatCustom = useFormatCustomValue();
  const first = useQuery({ ...trpc.customers.get.queryOptions({ id: customerIds[0] }), enabled: open });
  const second = useQuery({ ...trpc.customers.get.queryOptions({ id: customerIds[1] }), enabled: open });
  const [survivorId, setSurvivorId] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, Side>>({});

  const loaded = first.data && second.data ? [first.data, second.data] : null;
  useEffect(() => {
    if (!loaded || survivorId) return;
    const [a, b] = loaded as [Customer, Customer];
    setSurvivorId(b.orderCount > a.orderCount ? b.id : a.id);
  }, [loaded, survivorId]);

  const survivor = loaded?.find((c) => c.id === survivorId) ?? null;
  const merged = loaded?.find((c) => c.id !== survivorId) ?? null;

  const showPhone = usePhoneFormat();
  const show = (field: Field, customer: Customer): string | null => {
    const value = customer[field];
    if (blank(value)) return null;
    if (field === 'kind') return t(`customers.kind.${customer.kind}`);
    if (field === 'ownerUserId') return customer.ownerName;
    if (field === 'phone') return showPhone(customer.phone);
    if (field === 'purchasePlanAmount') return formatMoney(String(value), customer.currency);
    if (field === 'needType' && customer.needType) return t(`systemTags.need.${customer.needType}`);
    if (field === 'addresses')
      return customer.addresses
        .map((address) =>
          [address.province, address.city, address.district, address.street].filter(Boolean).join(''),
        )
        .join('；');
    return String(value);
  };

  const rows: Row[] = useMemo(() => {
    if (!survivor || !merged) return [];
    const result: Row[] = [];
    for (const field of FIELDS) {
      const mine = show(field, survivor);
      const theirs = show(field, merged);
      if (
        JSON.stringify(survivor[field]) === JSON.stringify(merged[field]) ||
        (mine === null && theirs === null)
      )
        continue;
      result.push({ key: field, label: t(`duplicates.fields.${field}`), survivor: mine, merged: theirs });
    }
    for (const field of customFields) {
      const mine = formatCustom(field, survivor.customFields[field.key]);
      const theirs = formatCustom(field, merged.customFields[field.key]);
      if (mine === theirs) continue;
      result.push({ key: `custom:${field.key}`, label: fieldLabel(field), survivor: mine, merged: theirs });
    }
    for (const field of new Set([...Object.keys(survivor.sensitive), ...Object.keys(merged.sensitive)])) {
      const mine = survivor.sensitive[field] ?? null;
      const theirs = merged.sensitive[field] ?? null;
      if (mine === null && theirs === null) continue;
      const custom = field.startsWith('custom:')
        ? customFields.find((f) => `custom:${f.key}` === field)
        : null;
      const label = custom
        ? fieldLabel(custom)
        : field === 'national_id'
          ? t('sensitive.nationalId')
          : t('sensitive.bankCard');
      if (mine !== null && theirs !== null && mine === theirs) continue;
      result.push({ key: `secret:${field}`, label, survivor: mine, merged: theirs });
    }
    return result;
  }, [survivor, merged, customFields, t]);

  // The server's default for a field left out: the survivor's value, or the merged one's where it has none.
  useEffect(() => {
    setChoices(
      Object.fromEntries(rows.map((row) => [row.key, row.survivor === null ? 'merged' : 'survivor'])),
    );
  }, [rows]);

  const merge = useMutation(
    trpc.customers.merge.mutationOptions({
      onSuccess: async (result) => {
        void message.success(t('duplicates.mergeDialog.done', { name: survivor?.name ?? '' }));
        onClose();
        onMerged?.();
        await Promise.all([
          queryClient.invalidateQueries(trpc.duplicates.list.pathFilter()),
          queryClient.invalidateQueries(trpc.customers.pathFilter()),
        ]);
        void navigate({ to: '/customers/$customerId', params: { customerId: result.survivorId } });
      },
      onError: (error) => showError(error),
    }),
  );

  const side = (customer: Customer | null, title: string) => (
    <Flex vertical>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <Typography.Text strong>{customer?.name}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {customer ? t('duplicates.orders', { count: customer.orderCount }) : null}
      </Typography.Text>
    </Flex>
  );

  return (
    <Modal
      open={open}
      onCancel={onClose}
      width={820}
      title={t('duplicates.mergeDialog.title')}
      destroyOnHidden
      footer={
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">{t('duplicates.mergeDialog.undoHint')}</Typography.Text>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              data-testid="merge-submit"
              type="primary"
              danger
              disabled={!survivor || !merged}
              loading={merge.isPending}
              onClick={() =>
                survivor &&
                merged &&
                merge.mutate({
                  survivorId: survivor.id,
                  mergedId: merged.id,
                  choices,
                  ...(candidateId ? { candidateId } : {}),
                })
              }
            >
              {t('duplicates.mergeDialog.submit')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      {!survivor || !merged ? (
        <Flex justify="center" style={{ padding: 32 }}>
          <Spin />
        </Flex>
      ) : (
        <Flex vertical gap={12} data-testid="merge-dialog">
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {t('duplicates.mergeDialog.intro')}
          </Typography.Paragraph>
          <Flex align="center" gap={16}>
            <div style={{ flex: 1 }} data-testid="merge-survivor">
              {side(survivor, t('duplicates.mergeDialog.keep'))}
            </div>
            <Button
              data-testid="merge-swap"
              icon={<SwapOutlined />}
              onClick={() => setSurvivorId(merged.id)}
              aria-label={t('duplicates.mergeDialog.swap')}
            >
              {t('duplicates.mergeDialog.swap')}
            </Button>
            <div style={{ flex: 1 }} data-testid="merge-merged">
              {side(merged, t('duplicates.mergeDialog.mergedAway'))}
            </div>
          </Flex>
          {survivor.openingBalance ||
          merged.openingBalance ||
          (survivor.firstCooperationOn && merged.firstCooperationOn) ? (
            <Typography.Text type="secondary" data-testid="merge-targets-hint">
              {t('importTargets.merge.hint')}
            </Typography.Text>
          ) : null}
          {rows.length === 0 ? (
            <Typography.Text type="secondary">{t('duplicates.mergeDialog.noDifferences')}</Typography.Text>
          ) : (
            <Table<Row>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={rows}
              columns={[
                { key: 'label', title: t('duplicates.mergeDialog.field'), dataIndex: 'label', width: 150 },
                ...(['survivor', 'merged'] as const).map((which) => ({
                  key: which,
                  title: which === 'survivor' ? survivor.name : merged.name,
                  render: (_: unknown, row: Row) => (
                    <Radio
                      data-testid={`merge-choice-${row.key}-${which}`}
                      checked={choices[row.key] === which}
                      onChange={() => setChoices((current) => ({ ...current, [row.key]: which }))}
                    >
                      {row[which] ?? (
                        <Typography.Text type="secondary">
                          {t('duplicates.mergeDialog.empty')}
                        </Typography.Text>
                      )}
                    </Radio>
                  ),
                })),
              ]}
            />
          )}
        </Flex>
      )}
    </Modal>
  );
}
