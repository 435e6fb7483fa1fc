import { Alert, Flex, Radio, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIndustryProfiles, useLabelText } from '../lib/industry-profiles';

type Props = {
  value?: string;
  onChange?: (value: string) => void;
  /** Prefix for each option's data-testid, e.g. "signup-industry" → signup-industry-retail. */
  testIdPrefix?: string;
};

/**
 * The industry profile: one option per industry plugin the server runs (零售 / B2B 企业客户 /
 * 对公业务 and any a partner added), each with the plugin's own one-line description.
 */
export function IndustryPicker({ value, onChange, testIdPrefix }: Props) {
  const { t } = useTranslation();
  const profiles = useIndustryProfiles();
  const text = useLabelText();
  if (profiles.isPending) return <Skeleton active paragraph={{ rows: 3 }} title={false} />;
  if (profiles.isError) return <Alert type="error" showIcon message={t('industry.loadFailed')} />;
  return (
    <Radio.Group
      value={value}
      onChange={(event) => onChange?.(String(event.target.value))}
      style={{ width: '100%' }}
    >
      <Flex vertical gap={8}>
        {profiles.data.map((profile) => (
          <Radio
            key={profile.id}
            value={profile.id}
            data-testid={testIdPrefix ? `${testIdPrefix}-${profile.id}` : undefined}
            style={{
              display: 'flex',
              width: '100%',
              margin: 0,
              padding: '10px 12px',
              borderRadius: 8,
              border: `1px solid ${value === profile.id ? '#1f5eff' : '#d9d9d9'}`,
              background: value === profile.id ? '#f0f5ff' : '#fff',
            }}
          >
            <Typography.Text strong>{text(profile.labels)}</Typography.Text>
            {profile.description && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13 }}>
                {text(profile.description)}
              </Typography.Text>
            )}
          </Radio>
        ))}
      </Flex>
    </Radio.Group>
  );
}
