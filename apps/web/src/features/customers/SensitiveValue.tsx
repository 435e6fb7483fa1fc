import { EyeInvisibleOutlined, EyeOutlined, LockOutlined } from '@ant-design/icons';
import { Button, Flex, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../lib/shell-context';
import { useTRPCClient } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

/**
 * A sensitive value as the server sent it (`**** 1234`), with 查看 for roles that may reveal
 * it. The full value is fetched by an audited POST on request and kept in this component's
 * state only — never in the query cache, browser storage or the URL — and is gone when the
 * page changes or the user hides it.
 */
export function SensitiveValue({
  customerId,
  field,
  masked,
}: {
  customerId: string;
  /** `national_id`, `bank_card` or `custom:<key>`. */
  field: string;
  masked: string;
}) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const showError = useShowError();
  const canReveal = useCan('sensitive.reveal');
  const [revealed, setRevealed] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // Another customer, field or stored value: hide again.
  useEffect(() => setRevealed(null), [customerId, field, masked]);

  const reveal = async () => {
    setLoading(true);
    try {
      const result = await client.customers.revealSensitive.mutate({ customerId, field });
      setRevealed(result.value);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Flex gap={8} align="center" wrap data-testid={`sensitive-${field}`}>
      {revealed === null ? (
        <Tooltip title={t('sensitive.maskedHint')}>
          <Typography.Text data-testid="sensitive-masked" style={{ fontFamily: 'monospace' }}>
            <LockOutlined style={{ color: '#8c8c8c', marginInlineEnd: 6 }} />
            {masked}
          </Typography.Text>
        </Tooltip>
      ) : (
        <Typography.Text data-testid="sensitive-revealed" copyable style={{ fontFamily: 'monospace' }}>
          {revealed}
        </Typography.Text>
      )}
      {canReveal ? (
        revealed === null ? (
          <Tooltip title={t('sensitive.revealTitle')}>
            <Button
              size="small"
              type="link"
              icon={<EyeOutlined />}
              loading={loading}
              onClick={() => void reveal()}
              data-testid="sensitive-reveal"
            >
              {t('sensitive.reveal')}
            </Button>
          </Tooltip>
        ) : (
          <Button
            size="small"
            type="link"
            icon={<EyeInvisibleOutlined />}
            onClick={() => setRevealed(null)}
            data-testid="sensitive-hide"
          >
            {t('sensitive.hide')}
          </Button>
        )
      ) : null}
    </Flex>
  );
}
