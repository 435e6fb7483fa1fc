import { useTranslation } from 'react-i18next';

/** The product mark and name, from i18n ("客户经营云" / "CRM Cloud"). */
export function Logo({ collapsed = false, dark = true }: { collapsed?: boolean; dark?: boolean }) {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10, minWidth: 0 }}>
      <img src="/favicon.svg" alt="" width={28} height={28} style={{ flex: 'none' }} />
      {collapsed ? null : (
        <span
          style={{
            fontSize: 17,
            fontWeight: 600,
            letterSpacing: 0.5,
            color: dark ? '#fff' : '#0f1b3d',
            whiteSpace: 'nowrap',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
          }}
        >
          {t('app.name')}
        </span>
      )}
    </div>
  );
}
