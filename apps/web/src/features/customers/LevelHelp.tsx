import { QuestionCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

/**
 * What a value level (高/中/低价值) is computed from, in words and with the tenant's own
 * thresholds: only the 12-month amount, against 客户规则 — so the reader knows why it may
 * differ from the tier. Mounted inside a tooltip, so the rules are read only when asked for.
 */
export function ValueLevelHelp() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const rules = useQuery({ ...trpc.settings.customerRules.queryOptions(), staleTime: 5 * 60_000 });
  return (
    <span data-testid="value-level-help">
      {rules.data
        ? t('systemTags.help.value', {
            high: formatMoney(rules.data.valueHighAmount, rules.data.currency),
            mid: formatMoney(rules.data.valueMidAmount, rules.data.currency),
          })
        : t('systemTags.help.valueShort')}
    </span>
  );
}

type ModelKind = 'weighted' | 'thresholds' | 'rfm';

/** 客户分层: what the tier is computed from (the industry profile's model), and how it differs from the value level. */
export function TierHelp({ kind }: { kind: ModelKind | null }) {
  const { t } = useTranslation();
  return (
    <Tooltip
      title={
        <span data-testid="tier-help-text">
          {t('systemTags.help.tier', {
            model: kind ? t(`systemTags.help.models.${kind}`) : t('systemTags.help.models.none'),
          })}
        </span>
      }
    >
      <Typography.Text type="secondary" data-testid="tier-help" style={{ fontSize: 12, cursor: 'help' }}>
        <QuestionCircleOutlined style={{ marginInlineEnd: 4 }} />
        {t('systemTags.help.how')}
      </Typography.Text>
    </Tooltip>
  );
}
