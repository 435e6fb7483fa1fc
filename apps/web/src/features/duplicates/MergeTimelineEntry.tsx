import { MergeCellsOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { App, Button, Popconfirm, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import { useCan } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const count = (value: unknown) => (typeof value === 'number' ? value : 0);

/** A merge into this customer on its timeline, with 撤销合并 while it can be undone. */
export function mergeTimelineView(data: Record<string, unknown>): {
  title: ReactNode;
  details?: ReactNode;
  color: string;
  icon: ReactNode;
} {
  return {
    color: data.undone ? 'gray' : 'cyan',
    icon: <MergeCellsOutlined />,
    title: <MergeTitle data={data} />,
    details: data.undone ? undefined : <MergeDetails data={data} />,
  };
}

function MergeTitle({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const name = text(data.mergedName) ?? '';
  const mergedId = text(data.mergedId);
  if (data.undone) {
    return <Typography.Text strong>{t('duplicates.timeline.unmerged', { name })}</Typography.Text>;
  }
  return (
    <>
      <Typography.Text strong data-testid="timeline-merge">
        {t('duplicates.timeline.merged', { name })}
      </Typography.Text>
      {mergedId ? (
        <Link to="/customers/$customerId" params={{ customerId: mergedId }}>
          {name}
        </Link>
      ) : null}
      {data.undoneAt ? <Tag>{t('duplicates.timeline.undone')}</Tag> : null}
    </>
  );
}

function MergeDetails({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const canMerge = useCan('customers.merge');
  const mergeId = text(data.mergeId);
  const undoUntil = text(data.undoUntil);
  const undoable = !data.undoneAt && undoUntil !== null && new Date(undoUntil).getTime() > Date.now();
  const unmerge = useMutation(
    trpc.customers.unmerge.mutationOptions({
      onSuccess: async () => {
        void message.success(t('duplicates.timeline.undoDone'));
        await queryClient.invalidateQueries(trpc.customers.pathFilter());
        await queryClient.invalidateQueries(trpc.contacts.pathFilter());
        await queryClient.invalidateQueries(trpc.orders.pathFilter());
        await queryClient.invalidateQueries(trpc.interactions.pathFilter());
      },
      onError: (error) => showError(error),
    }),
  );
  return (
    <div>
      <Typography.Text type="secondary">
        {t('duplicates.timeline.moved', {
          orders: t('duplicates.timeline.movedOrders', { count: count(data.orders) }),
          interactions: t('duplicates.timeline.movedInteractions', { count: count(data.interactions) }),
          contacts: t('duplicates.timeline.movedContacts', { count: count(data.contacts) }),
        })}
      </Typography.Text>
      {undoable && canMerge && mergeId ? (
        <div style={{ marginTop: 6 }}>
          <Popconfirm
            title={t('duplicates.timeline.undo')}
            description={
              <div style={{ maxWidth: 360 }}>
                {t('duplicates.timeline.undoConfirm', { name: text(data.mergedName) ?? '' })}
              </div>
            }
            onConfirm={() => unmerge.mutate({ mergeId })}
          >
            <Button size="small" data-testid="unmerge" loading={unmerge.isPending}>
              {t('duplicates.timeline.undo')}
            </Button>
          </Popconfirm>
          <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
            {t('duplicates.timeline.undoUntil', { date: formatDate(undoUntil) })}
          </Typography.Text>
        </div>
      ) : null}
    </div>
  );
}
