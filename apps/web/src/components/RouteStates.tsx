import { type ErrorComponentProps, Link, useRouter } from '@tanstack/react-router';
import { Button, Flex, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errors';
import { AntdProviders } from './AntdProviders';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <AntdProviders>
      <Flex align="center" justify="center" style={{ minHeight: '60vh' }}>
        <Result
          status="404"
          title={t('errors.notFoundTitle')}
          subTitle={t('errors.notFoundDescription')}
          extra={
            <Link to="/customers">
              <Button type="primary">{t('errors.backHome')}</Button>
            </Link>
          }
        />
      </Flex>
    </AntdProviders>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  const router = useRouter();
  return (
    <AntdProviders>
      <Flex align="center" justify="center" style={{ minHeight: '60vh' }}>
        <Result
          status="error"
          title={t('errors.loadFailed')}
          subTitle={errorMessage(error, { network: t('errors.network'), unknown: t('errors.unknown') })}
          extra={
            <Button
              type="primary"
              onClick={() => {
                reset();
                void router.invalidate();
              }}
            >
              {t('common.retry')}
            </Button>
          }
        />
      </Flex>
    </AntdProviders>
  );
}
