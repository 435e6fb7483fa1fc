import {
  CalendarOutlined,
  DislikeOutlined,
  EnvironmentOutlined,
  LikeOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InteractionKind, Sentiment } from '../../lib/api-types';

export const INTERACTION_ICONS: Readonly<Record<InteractionKind, ReactNode>> = {
  call: <PhoneOutlined />,
  visit: <EnvironmentOutlined />,
  message: <MessageOutlined />,
  email: <MailOutlined />,
  meeting: <TeamOutlined />,
  event: <CalendarOutlined />,
};

export function InteractionKindTag({ kind }: { kind: InteractionKind }) {
  const { t } = useTranslation();
  return (
    <Tag icon={INTERACTION_ICONS[kind]} color="blue" variant="outlined" style={{ marginInlineEnd: 0 }}>
      {t(`interactions.kind.${kind}`)}
    </Tag>
  );
}

/** Praise and complaints stand out; a neutral touch shows nothing. */
export function SentimentTag({ sentiment }: { sentiment: Sentiment }) {
  const { t } = useTranslation();
  if (sentiment === 'neutral') return null;
  return (
    <Tag
      color={sentiment === 'praise' ? 'green' : 'red'}
      icon={sentiment === 'praise' ? <LikeOutlined /> : <DislikeOutlined />}
      style={{ marginInlineEnd: 0 }}
    >
      {t(`interactions.sentiment.${sentiment}`)}
    </Tag>
  );
}
