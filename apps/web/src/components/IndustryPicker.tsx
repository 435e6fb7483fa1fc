import { Flex, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { INDUSTRIES, type Industry } from '../lib/api-types';

type Props = {
  value?: Industry;
  onChange?: (value: Industry) => void;
  /** Prefix for each option's data-testid, e.g. "signup-industry" → signup-industry-retail. */
  testIdPrefix?: string;
};

/** The industry profile: 零售 / B2B 企业服务 / 对公银行, each with a one-line explanation. */
export function IndustryPicker({ value, onChange, testIdPrefix }: Props) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      value={value}
      onChange={(event) => onChange?.(event.target.value as Industry)}
      style={{ width: '100%' }}
    >
      <Flex vertical gap={8}>
        {INDUSTRIES.map((industry) => (
          <Radio
            key={industry}
            value={industry}
            data-testid={testIdPrefix ? `${testIdPrefix}-${industry}` : undefined}
            style={{
              display: 'flex',
              width: '100%',
              margin: 0,
              padding: '10px 12px',
              borderRadius: 8,
              border: `1px solid ${value === industry ? '#1f5eff' : '#d9d9d9'}`,
              background: value === industry ? '#f0f5ff' : '#fff',
            }}
          >
            <Typography.Text strong>{t(`industry.${industry}`)}</Typography.Text>
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13 }}>
              {t(`industry.hint.${industry}`)}
            </Typography.Text>
          </Radio>
        ))}
      </Flex>
    </Radio.Group>
  );
}
