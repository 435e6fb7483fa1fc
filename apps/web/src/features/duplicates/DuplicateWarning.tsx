import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Alert, Flex, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerKind } from '../../lib/api-types';
import { usePhoneFormat } from '../../lib/phone';
import { useTRPC } from '../../lib/trpc';
import { ReasonTags } from './ReasonTags';

type Props = {
  kind?: CustomerKind;
  name?: string;
  phone?: string;
  email?: string;
  creditCode?: string;
  /** The customer being edited. */
  excludeId?: string;
};

/** How long typing must pause before the form asks for likely duplicates. */
const PAUSE_MS = 400;

/**
 * Likely duplicates of what the form holds, asked for while the user types (duplicates.check).
 * A warning only: saving anyway is allowed, and the server puts the pair in the queue.
 */
export function DuplicateWarning({ kind, name, phone, email, creditCode, excludeId }: Props) {
  const { t } = useTranslation();
  const showPhone = usePhoneFormat();
  const trpc = useTRPC();
  const input = {
    kind: kind ?? 'person',
    name: name?.trim() || null,
    phone: phone?.trim() || null,
    email: email?.trim() || null,
    creditCode: creditCode?.trim() || null,
    excludeId: excludeId ?? null,
  };
  const key = JSON.stringify(input);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), PAUSE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  const asked = JSON.parse(settled) as typeof input;
  const hasKey = Boolean(asked.name || asked.phone || asked.email || asked.creditCode);
  const check = useQuery({
    ...trpc.duplicates.check.queryOptions(asked),
    enabled: hasKey,
    staleTime: 30_000,
  });
  const matches = hasKey ? (check.data?.matches ?? []) : [];
  const hidden = hasKey ? (check.data?.hidden ?? 0) : 0;
  if (matches.length === 0 && hidden === 0) return null;
  return (
    <Alert
      data-testid="duplicate-warning"
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('duplicates.warning.title')}
      description={
        <Flex vertical gap={6}>
          <Typography.Text type="secondary">
            {matches.some((match) => match.exact)
              ? t('duplicates.warning.exactDescription')
              : t('duplicates.warning.description')}
          </Typography.Text>
          {matches.map((match) => (
            <Flex key={match.customer.id} gap={8} align="center" wrap data-testid="duplicate-match">
              <Link to="/customers/$customerId" params={{ customerId: match.customer.id }} target="_blank">
                {match.customer.name}
              </Link>
              {match.customer.phone ? (
                <Typography.Text type="secondary">{showPhone(match.customer.phone)}</Typography.Text>
              ) : null}
              <ReasonTags reasons={match.reasons} names={[name, match.customer.name]} />
              {match.exact ? (
                <Tag color="red" data-testid="duplicate-exact">
                  {t('duplicates.warning.exact')}
                </Tag>
              ) : (
                <Tag>{Math.round(match.confidence * 100)}%</Tag>
              )}
            </Flex>
          ))}
          {hidden > 0 ? (
            <Typography.Text type="secondary">
              {t('duplicates.warning.hidden', { count: hidden })}
            </Typography.Text>
          ) : null}
        </Flex>
      }
    />
  );
}
