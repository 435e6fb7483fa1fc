import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { HoverTooltip } from '../../components/HoverTooltip';
import type {
  ActivityLevel,
  CustomerListItem,
  CustomerTag,
  CustomFieldDefinition,
  CustomFieldValue,
  ValueLevel,
} from '../../lib/api-types';
import { formatMoney } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { ValueLevelHelp } from './LevelHelp';

/** The tenant's free tags by id (they are few, and shared by every list and profile). */
export function useTagsById(): Map<string, CustomerTag> {
  const trpc = useTRPC();
  const tags = useQuery({ ...trpc.tags.list.queryOptions(), staleTime: 60_000 });
  return useMemo(() => new Map((tags.data ?? []).map((tag) => [tag.id, tag])), [tags.data]);
}

/** The tenant's custom field definitions, in form order; `active` leaves out retired ones. */
export function useCustomFields(): { all: CustomFieldDefinition[]; active: CustomFieldDefinition[] } {
  const trpc = useTRPC();
  const fields = useQuery({ ...trpc.customFields.list.queryOptions(), staleTime: 60_000 });
  return useMemo(() => {
    const all = fields.data ?? [];
    return { all, active: all.filter((field) => !field.archived) };
  }, [fields.data]);
}

export function useFieldLabel() {
  const { i18n } = useTranslation();
  return (field: Pick<CustomFieldDefinition, 'labelZh' | 'labelEn'>) =>
    i18n.language === 'en' ? field.labelEn : field.labelZh;
}

/** A custom field's value as text: options by their label, money grouped, yes/no translated. */
export function useFormatCustomValue() {
  const { t } = useTranslation();
  const label = useFieldLabel();
  return (field: CustomFieldDefinition, value: CustomFieldValue | undefined): string | null => {
    if (
      value === null ||
      value === undefined ||
      value === '' ||
      (Array.isArray(value) && value.length === 0)
    ) {
      return null;
    }
    const option = (picked: string) => {
      const found = field.options.find((candidate) => candidate.value === picked);
      return found ? label(found) : picked;
    };
    switch (field.type) {
      case 'boolean':
        return value === true ? t('customFields.yes') : t('customFields.no');
      case 'money':
        return formatMoney(String(value));
      case 'enum':
        return option(String(value));
      case 'multi_enum':
        return (Array.isArray(value) ? value : [String(value)]).map(option).join(t('customFields.separator'));
      default:
        return String(value);
    }
  };
}

const LEVEL_COLORS: Readonly<Record<ValueLevel, string>> = { high: 'gold', mid: 'blue', low: 'default' };
const ACTIVITY_COLORS: Readonly<Record<ActivityLevel, string>> = {
  high: 'green',
  mid: 'cyan',
  low: 'default',
};

type Taggable = Pick<CustomerListItem, 'tagIds' | 'valueLevel' | 'activityLevel' | 'needType'>;

/** System tags (value, activity, need type), then free tags — on the profile and in lists. */
const TAG_ROW = { display: 'flex', flexWrap: 'wrap', gap: 4 } as const;

export function CustomerTags({ customer, system = true }: { customer: Taggable; system?: boolean }) {
  const { t } = useTranslation();
  const tags = useTagsById();
  return (
    // A plain flex span, not antd's <Flex>: one per row of a 50-row list.
    <span style={TAG_ROW} data-testid="customer-tags">
      {system ? (
        <>
          <HoverTooltip title={<ValueLevelHelp />}>
            <Tag color={LEVEL_COLORS[customer.valueLevel]} data-system-tag={`value:${customer.valueLevel}`}>
              {t(`systemTags.value.${customer.valueLevel}`)}
            </Tag>
          </HoverTooltip>
          <HoverTooltip title={t('systemTags.activityLevel')}>
            <Tag
              color={ACTIVITY_COLORS[customer.activityLevel]}
              data-system-tag={`activity:${customer.activityLevel}`}
            >
              {t(`systemTags.activity.${customer.activityLevel}`)}
            </Tag>
          </HoverTooltip>
          {customer.needType ? (
            <HoverTooltip title={t('systemTags.needType')}>
              <Tag color="geekblue">{t(`systemTags.need.${customer.needType}`)}</Tag>
            </HoverTooltip>
          ) : null}
        </>
      ) : null}
      {customer.tagIds.map((id) => {
        const tag = tags.get(id);
        return tag ? (
          <HoverTooltip key={id} title={tag.description ?? undefined}>
            <Tag color={tag.color === 'gray' ? 'default' : tag.color} data-free-tag={tag.name}>
              {tag.name}
            </Tag>
          </HoverTooltip>
        ) : null;
      })}
    </span>
  );
}
