import { Button, Card, Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

export type BoardRep = {
  userId: string | null;
  name: string | null;
  overdue: number;
  overWeek: number;
  dueToday: number;
  oldestDueOn: string | null;
};
export type BoardTier = { tier: string | null; overdue: number; overWeek: number };
export type Board = {
  today: string;
  total: number;
  overWeek: number;
  reps: BoardRep[];
  tiers: BoardTier[];
};

type Props = {
  board: Board;
  tierLabel: (tier: string | null) => string;
  onOpenRep: (rep: BoardRep) => void;
  onOpenTier: (tier: BoardTier) => void;
};

/**
 * 逾期看板: the team's open tasks past their day, counted by owner and by the tier of their
 * customer, the longest overdue first; each row opens the tasks behind its figure.
 */
export function OverdueBoard({ board, tierLabel, onOpenRep, onOpenTier }: Props) {
  const { t } = useTranslation();
  const repsWithOverdue = board.reps.filter((rep) => rep.overdue > 0).length;
  const daysSince = (day: string | null) => (day ? dayjs(board.today).diff(dayjs(day), 'day') : 0);
  return (
    <div data-testid="overdue-board">
      <Typography.Paragraph type="secondary">
        {t('taskViews.board.subtitle', { today: board.today })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic
              title={t('taskViews.board.total')}
              value={board.total}
              valueStyle={board.total > 0 ? { color: '#cf1322' } : undefined}
              data-testid="board-total"
            />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic
              title={t('taskViews.board.overWeek')}
              value={board.overWeek}
              data-testid="board-over-week"
            />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic title={t('taskViews.board.reps')} value={repsWithOverdue} />
          </Card>
        </Col>
      </Row>
      {board.total === 0 && board.reps.length === 0 ? (
        <Empty description={t('taskViews.board.none')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Card size="small" title={t('taskViews.board.byRep')}>
              <Table<BoardRep>
                data-testid="board-reps"
                size="small"
                pagination={false}
                rowKey={(rep) => rep.userId ?? 'unassigned'}
                dataSource={board.reps}
                onRow={(rep) => ({ onClick: () => onOpenRep(rep), style: { cursor: 'pointer' } })}
                columns={[
                  {
                    title: t('taskViews.board.rep'),
                    key: 'name',
                    render: (_, rep) => rep.name ?? t('taskViews.board.unassigned'),
                  },
                  {
                    title: t('taskViews.board.overdue'),
                    dataIndex: 'overdue',
                    align: 'right',
                    render: (value: number) => (
                      <Typography.Text type={value > 0 ? 'danger' : undefined} strong={value > 0}>
                        {value}
                      </Typography.Text>
                    ),
                  },
                  { title: t('taskViews.board.overdueWeek'), dataIndex: 'overWeek', align: 'right' },
                  { title: t('taskViews.board.dueToday'), dataIndex: 'dueToday', align: 'right' },
                  {
                    title: t('taskViews.board.oldest'),
                    key: 'oldest',
                    render: (_, rep) =>
                      rep.oldestDueOn ? (
                        <span>
                          {rep.oldestDueOn}{' '}
                          <Typography.Text type="secondary">
                            {t('taskViews.board.oldestDays', { count: daysSince(rep.oldestDueOn) })}
                          </Typography.Text>
                        </span>
                      ) : null,
                  },
                  {
                    key: 'open',
                    align: 'right',
                    render: () => (
                      <Button type="link" size="small" data-testid="board-rep-open">
                        {t('taskViews.board.openList')}
                      </Button>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card size="small" title={t('taskViews.board.byTier')}>
              <Table<BoardTier>
                data-testid="board-tiers"
                size="small"
                pagination={false}
                rowKey={(tier) => tier.tier ?? 'none'}
                dataSource={board.tiers}
                onRow={(tier) => ({ onClick: () => onOpenTier(tier), style: { cursor: 'pointer' } })}
                columns={[
                  {
                    title: t('taskViews.board.tier'),
                    key: 'tier',
                    render: (_, tier) => tierLabel(tier.tier),
                  },
                  {
                    title: t('taskViews.board.overdue'),
                    dataIndex: 'overdue',
                    align: 'right',
                    render: (value: number) => (
                      <Typography.Text type={value > 0 ? 'danger' : undefined} strong={value > 0}>
                        {value}
                      </Typography.Text>
                    ),
                  },
                  { title: t('taskViews.board.overdueWeek'), dataIndex: 'overWeek', align: 'right' },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
