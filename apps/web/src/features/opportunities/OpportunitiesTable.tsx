import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { OpportunityCard } from '../../lib/api-types';
import { formatDate, formatMoney } from '../../lib/format';
import { daysIn, usePipeline } from './pipeline-labels';

/** Opportunities as rows: name (opens the drawer), customer, stage and days in it, amount, close date, probability, owner. */
export function OpportunitiesTable({
  items,
  loading,
  onOpen,
}: {
  items: OpportunityCard[];
  loading: boolean;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { stageLabel, reasonLabel } = usePipeline();
  const columns: ColumnsType<OpportunityCard> = [
    {
      key: 'name',
      title: t('opportunities.name'),
      render: (_, row) => (
        <a
          href={`#${row.id}`}
          onClick={(event) => {
            event.preventDefault();
            onOpen(row.id);
          }}
          data-testid="opportunity-row"
        >
          {row.name}
        </a>
      ),
    },
    { key: 'customer', title: t('opportunities.customer'), render: (_, row) => row.customerName ?? '—' },
    {
      key: 'stage',
      title: t('opportunities.stage'),
      render: (_, row) => (
        <span>
          <Tag color={row.stageKind === 'won' ? 'green' : row.stageKind === 'lost' ? 'default' : 'blue'}>
            {stageLabel(row.stage)}
          </Tag>
          {row.stageKind === 'lost' && row.lostReason ? reasonLabel(row.lostReason) : null}
        </span>
      ),
    },
    {
      key: 'inStage',
      title: t('opportunities.inStage'),
      render: (_, row) => t('opportunities.days', { count: daysIn(row.stageEnteredAt) }),
    },
    {
      key: 'amount',
      title: t('opportunities.amount'),
      align: 'right',
      render: (_, row) => (row.amount ? formatMoney(row.amount, row.currency) : '—'),
    },
    {
      key: 'close',
      title: t('opportunities.expectedCloseOn'),
      render: (_, row) => formatDate(row.expectedCloseOn) || '—',
    },
    { key: 'probability', title: t('opportunities.probability'), render: (_, row) => `${row.probability}%` },
    { key: 'owner', title: t('opportunities.owner'), render: (_, row) => row.ownerName ?? '—' },
  ];
  return (
    <Table
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      locale={{ emptyText: t('opportunities.empty') }}
    />
  );
}
