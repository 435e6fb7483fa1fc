import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Divider, Flex, Popover, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDefinition } from '../../../lib/api-types';
import { useFieldLabel } from '../profile-meta';
import { BUILT_IN_COLUMNS, columnLabel } from './columns';

type Props = {
  value: readonly string[];
  onChange: (columns: string[]) => void;
  customFields: CustomFieldDefinition[];
  /** What 恢复默认 sets (the tenant's default columns). */
  defaults: readonly string[];
};

/** 列设置: which columns the list shows, built-in and custom fields; order follows the list below. */
export function ColumnChooser({ value, onChange, customFields, defaults }: Props) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const all = [...BUILT_IN_COLUMNS, ...customFields.map((field) => `custom:${field.key}`)];
  const chosen = new Set(value);
  const toggle = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    onChange(all.filter((column) => next.has(column)));
  };
  const content = (
    <Flex
      vertical
      gap={4}
      style={{ maxHeight: 420, overflowY: 'auto', minWidth: 200 }}
      data-testid="column-chooser"
    >
      <Typography.Text type="secondary">{t('lists.columnChooserHint')}</Typography.Text>
      {all.map((key) => (
        <Checkbox
          key={key}
          checked={chosen.has(key)}
          onChange={(event) => toggle(key, event.target.checked)}
          data-column={key}
        >
          {columnLabel(key, { t, fieldLabel, customFields })}
        </Checkbox>
      ))}
      <Divider style={{ margin: '8px 0' }} />
      <Button size="small" onClick={() => onChange([...defaults])}>
        {t('lists.resetColumns')}
      </Button>
    </Flex>
  );
  return (
    <Popover content={content} trigger="click" placement="bottomRight">
      <Button icon={<SettingOutlined />} data-testid="columns-button">
        {t('lists.columnChooser')}
      </Button>
    </Popover>
  );
}
