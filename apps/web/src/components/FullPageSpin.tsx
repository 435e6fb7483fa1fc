import { useTranslation } from 'react-i18next';

/**
 * A page (or the app) while its code or data loads. Plain elements and CSS (`crm-spin` in
 * styles.css), not antd's Spin: it is the router's pending page, part of the app shell, shown
 * before antd has loaded.
 */
export function FullPageSpin({ minHeight = '60vh' }: { minHeight?: string | number }) {
  const { t } = useTranslation();
  return (
    <div className="crm-spin" style={{ minHeight }} role="status" aria-live="polite">
      <span className="crm-spin-ring" aria-hidden="true" />
      <span className="crm-spin-text">{t('app.loading')}</span>
    </div>
  );
}
