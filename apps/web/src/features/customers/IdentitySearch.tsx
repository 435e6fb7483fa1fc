import { IdcardOutlined } from '@ant-design/icons';
import { parseBankCard, parseNationalId } from '@crm/domain';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Empty, List, Modal, Skeleton, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';

/**
 * An exact lookup by a whole national ID or bank card number. The number goes in the body of
 * a POST — never into the page URL or a query string — and the results show it masked.
 */
export function IdentitySearch({ value, onClose }: { value: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const showError = useShowError();
  const lookup = useMutation(
    trpc.customers.findByIdentity.mutationOptions({ onError: (error) => showError(error) }),
  );
  const { mutate, reset } = lookup;

  useEffect(() => {
    if (value) mutate({ value });
    else reset();
  }, [value, mutate, reset]);

  const items = lookup.data?.items ?? [];
  return (
    <Modal
      open={value !== null}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={null}
      title={
        <span>
          <IdcardOutlined /> {t('sensitive.lookup.title')}
        </span>
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('sensitive.lookup.hint')}
      </Typography.Paragraph>
      {lookup.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sensitive.lookup.none')} />
      ) : (
        <List
          data-testid="identity-search-results"
          dataSource={items}
          renderItem={(item) => (
            <List.Item
              extra={
                <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
                  {[item.sensitive.national_id, item.sensitive.bank_card].filter(Boolean).join(' · ')}
                </Typography.Text>
              }
            >
              <Link to="/customers/$customerId" params={{ customerId: item.id }} onClick={onClose}>
                {item.name}
              </Link>
            </List.Item>
          )}
        />
      )}
    </Modal>
  );
}

/** Whether a search is a whole national ID or card number (looked up exactly, by POST). */
export function looksLikeIdentityNumber(text: string): boolean {
  return parseNationalId(text).ok || parseBankCard(text).ok;
}
