import {
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardCode,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { Badge, Card, Empty, Flex, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpportunityBoard, OpportunityCard, Pipeline } from '../../lib/api-types';
import { formatMoney } from '../../lib/format';
import { daysIn, usePick } from './pipeline-labels';

type Props = {
  pipeline: Pipeline;
  board: OpportunityBoard;
  onOpen: (id: string) => void;
  onMove: (id: string, stage: string) => void;
};

const KIND_COLORS: Record<string, string> = {
  open: 'blue',
  won: 'green',
  lost: 'default',
  after_sales: 'purple',
};

/**
 * With the keyboard, the arrow keys jump a picked-up card to the next column (left / right),
 * not by a few pixels: the columns are the only places it can go.
 */
const columnCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const direction =
    event.code === KeyboardCode.Right || event.code === KeyboardCode.Down
      ? 1
      : event.code === KeyboardCode.Left || event.code === KeyboardCode.Up
        ? -1
        : 0;
  if (direction === 0) return undefined;
  event.preventDefault();
  const columns = [...context.droppableRects.values()].sort((a, b) => a.left - b.left);
  const next =
    direction > 0
      ? columns.find((rect) => rect.left > currentCoordinates.x + 1)
      : [...columns].reverse().find((rect) => rect.left + rect.width < currentCoordinates.x - 1);
  if (!next) return currentCoordinates;
  return { x: next.left + 8, y: next.top + 8 };
};

/** The kanban (看板): a column per stage with its count and amount; cards move by drag and drop or by keyboard. */
export function PipelineBoard({ pipeline, board, onOpen, onMove }: Props) {
  const { t } = useTranslation();
  const pick = usePick();
  const [active, setActive] = useState<OpportunityCard | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }),
  );
  const cards = new Map(
    board.columns.flatMap((column) => column.items.map((card) => [card.id, card] as const)),
  );
  const stageName = (key: string) => {
    const stage = pipeline.stages.find((candidate) => candidate.key === key);
    return stage ? pick(stage.labels) : key;
  };
  const onDragStart = (event: DragStartEvent) => setActive(cards.get(String(event.active.id)) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setActive(null);
    const card = cards.get(String(event.active.id));
    const target = event.over ? String(event.over.id) : null;
    if (card && target && target !== card.stage) onMove(card.id, target);
  };
  return (
    <DndContext
      sensors={sensors}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActive(null)}
      accessibility={{
        screenReaderInstructions: { draggable: t('opportunities.dragHint') },
        announcements: {
          onDragStart: ({ active: item }) => `${cards.get(String(item.id))?.name ?? ''}`,
          onDragOver: ({ over }) => (over ? stageName(String(over.id)) : ''),
          onDragEnd: ({ over }) =>
            over ? t('opportunities.moved', { stage: stageName(String(over.id)) }) : '',
          onDragCancel: () => '',
        },
      }}
    >
      <style>
        {'.opportunity-card:focus-visible{outline:2px solid #1677ff;outline-offset:2px;border-radius:8px}'}
      </style>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('opportunities.dragHint')}
      </Typography.Paragraph>
      <div
        style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8 }}
        data-testid="pipeline-board"
      >
        {pipeline.stages.map((stage) => {
          const column = board.columns.find((candidate) => candidate.stage === stage.key);
          return (
            <Column
              key={stage.key}
              stageKey={stage.key}
              title={pick(stage.labels)}
              kindColor={KIND_COLORS[stage.kind] ?? 'default'}
              probability={stage.probability}
              summary={t('opportunities.columnTotal', {
                count: column?.count ?? 0,
                amount: formatMoney(column?.amount ?? '0'),
              })}
            >
              {(column?.items ?? []).map((card) => (
                <DraggableCard key={card.id} card={card} onOpen={onOpen} />
              ))}
              {column && column.items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opportunities.emptyColumn')} />
              ) : null}
            </Column>
          );
        })}
      </div>
      <DragOverlay>{active ? <CardBody card={active} dragging /> : null}</DragOverlay>
    </DndContext>
  );
}

function Column({
  stageKey,
  title,
  kindColor,
  probability,
  summary,
  children,
}: {
  stageKey: string;
  title: string;
  kindColor: string;
  probability: number;
  summary: string;
  children: React.ReactNode;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: stageKey });
  return (
    <section
      ref={setNodeRef}
      aria-label={title}
      data-testid={`column-${stageKey}`}
      style={{
        flex: '0 0 260px',
        background: isOver ? '#e6f4ff' : '#f5f5f5',
        borderRadius: 8,
        padding: 8,
        minHeight: 320,
        outline: isOver ? '2px dashed #1677ff' : 'none',
      }}
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Flex gap={6} align="center">
          <Badge color={kindColor} />
          <Typography.Text strong>{title}</Typography.Text>
          <Tag>{probability}%</Tag>
        </Flex>
      </Flex>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 12 }}>
        {summary}
      </Typography.Text>
      <Flex vertical gap={8}>
        {children}
      </Flex>
    </section>
  );
}

function DraggableCard({ card, onOpen }: { card: OpportunityCard; onOpen: (id: string) => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: card.id });
  return (
    <button
      type="button"
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      className="opportunity-card"
      data-testid="opportunity-card"
      data-name={card.name}
      style={{
        all: 'unset',
        display: 'block',
        boxSizing: 'border-box',
        width: '100%',
        opacity: isDragging ? 0.4 : 1,
        cursor: 'grab',
      }}
      onKeyDown={(event) => {
        listeners?.onKeyDown?.(event);
        if (event.key === 'Enter') onOpen(card.id);
      }}
      onClick={() => onOpen(card.id)}
    >
      <CardBody card={card} />
    </button>
  );
}

function CardBody({ card, dragging = false }: { card: OpportunityCard; dragging?: boolean }) {
  const { t } = useTranslation();
  const days = daysIn(card.stageEnteredAt);
  return (
    <Card size="small" hoverable style={{ boxShadow: dragging ? '0 6px 16px rgba(0,0,0,0.16)' : undefined }}>
      <Typography.Text strong ellipsis style={{ display: 'block' }}>
        {card.name}
      </Typography.Text>
      {card.customerName ? (
        <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
          {card.customerName}
        </Typography.Text>
      ) : null}
      <Flex justify="space-between" style={{ marginTop: 6, fontSize: 12 }}>
        <span>{card.amount ? formatMoney(card.amount, card.currency) : '—'}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {days === 0 ? t('opportunities.lessThanDay') : t('opportunities.days', { count: days })}
        </Typography.Text>
      </Flex>
      <Flex justify="space-between" style={{ fontSize: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {card.ownerName ?? ''}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('opportunities.needsCount')} {card.needsCount}
        </Typography.Text>
      </Flex>
    </Card>
  );
}
