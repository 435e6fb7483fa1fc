import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { SettingsPageHeader } from '../../../features/settings/SettingsPageHeader';
import type { RouterOutputs } from '../../../lib/api-types';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

export const Route = createFileRoute('/_app/settings/loyalty')({
  component: LoyaltySettingsPage,
});

type LoyaltySettings = RouterOutputs['loyalty']['settings'];
type Rule = LoyaltySettings['rules'][number];

type Values = {
  ownRate: boolean;
  pointsPerYuan: number | null;
  ownExpiry: boolean;
  expiryMonths: number | null;
  ownRules: boolean;
  rules: Rule[];
};

/**
 * 成长值与转介绍设置: points per yuan, how long they are kept, and the referral rules — each
 * the industry profile's until the tenant sets its own (switching "own" off goes back to it).
 */
function LoyaltySettingsPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const settings = useQuery(trpc.loyalty.settings.queryOptions());
  const editable = useCan('loyalty.configure');
  return (
    <>
      <SettingsPageHeader title={t('loyalty.settings.title')} subtitle={t('loyalty.settings.description')} />
      {settings.data ? <SettingsForm settings={settings.data} editable={editable} /> : <Skeleton active />}
    </>
  );
}

function SettingsForm({ settings, editable }: { settings: LoyaltySettings; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const initial: Values = {
    ownRate: settings.own.pointsPerYuan,
    pointsPerYuan: settings.pointsPerYuan,
    ownExpiry: settings.own.expiryMonths,
    expiryMonths: settings.expiryMonths,
    ownRules: settings.own.rules,
    rules: settings.rules,
  };
  const ownRate = Form.useWatch('ownRate', form);
  const ownExpiry = Form.useWatch('ownExpiry', form);
  const ownRules = Form.useWatch('ownRules', form);
  const save = useMutation(
    trpc.loyalty.saveSettings.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.loyalty.settings.queryKey(), next);
        void message.success(t('loyalty.settings.saved'));
      },
      onError: (error) => showError(error, { form, fields: ['pointsPerYuan', 'expiryMonths', 'rules'] }),
    }),
  );
  const inherited = (own: boolean | undefined) =>
    own ? null : <Tag color="blue">{t('loyalty.settings.fromProfile')}</Tag>;
  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={initial}
      disabled={!editable}
      onFinish={(values) =>
        save.mutate({
          pointsPerYuan: values.ownRate ? (values.pointsPerYuan ?? 0) : null,
          expiryMonths: values.ownExpiry ? (values.expiryMonths ?? 0) : null,
          rules: values.ownRules
            ? values.rules.map((rule) => ({
                key: rule.key,
                labelZh: rule.labelZh,
                labelEn: rule.labelEn,
                reward: rule.reward,
                value: rule.value,
              }))
            : null,
        })
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card title={t('loyalty.settings.points')} data-testid="loyalty-settings-points">
            <Typography.Paragraph type="secondary">{t('loyalty.settings.pointsHint')}</Typography.Paragraph>
            <Space align="baseline">
              <Form.Item name="ownRate" valuePropName="checked" label={t('loyalty.settings.ownRate')}>
                <Switch aria-label={t('loyalty.settings.ownRate')} />
              </Form.Item>
              {inherited(ownRate)}
            </Space>
            <Form.Item
              name="pointsPerYuan"
              label={t('loyalty.settings.pointsPerYuan')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber
                min={0}
                max={100}
                step={0.01}
                disabled={!ownRate}
                style={{ width: 200 }}
                data-testid="loyalty-settings-rate"
              />
            </Form.Item>
            <Space align="baseline">
              <Form.Item name="ownExpiry" valuePropName="checked" label={t('loyalty.settings.ownExpiry')}>
                <Switch aria-label={t('loyalty.settings.ownExpiry')} />
              </Form.Item>
              {inherited(ownExpiry)}
            </Space>
            <Form.Item
              name="expiryMonths"
              label={t('loyalty.settings.expiryMonths')}
              extra={t('loyalty.settings.expiryHint')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber min={0} max={120} precision={0} disabled={!ownExpiry} style={{ width: 200 }} />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('loyalty.settings.rules')} data-testid="loyalty-settings-rules">
            <Typography.Paragraph type="secondary">{t('loyalty.settings.rulesHint')}</Typography.Paragraph>
            <Space align="baseline">
              <Form.Item name="ownRules" valuePropName="checked" label={t('loyalty.settings.ownRules')}>
                <Switch aria-label={t('loyalty.settings.ownRules')} />
              </Form.Item>
              {inherited(ownRules)}
            </Space>
            {ownRules ? (
              <Form.List name="rules">
                {(fields, { add, remove }) => (
                  <Flex vertical gap={8}>
                    {fields.map((field) => (
                      <Flex key={field.key} gap={8} wrap align="flex-start">
                        <Form.Item
                          name={[field.name, 'key']}
                          rules={[
                            { required: true, message: t('common.required') },
                            { pattern: /^[a-z][a-z0-9_]{0,62}$/, message: t('loyalty.settings.keyHelp') },
                          ]}
                          style={{ width: 150, marginBottom: 0 }}
                        >
                          <Input
                            placeholder={t('loyalty.settings.key')}
                            aria-label={t('loyalty.settings.key')}
                          />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'labelZh']}
                          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                          style={{ width: 180, marginBottom: 0 }}
                        >
                          <Input
                            maxLength={60}
                            placeholder={t('loyalty.settings.labelZh')}
                            aria-label={t('loyalty.settings.labelZh')}
                          />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'labelEn']}
                          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                          style={{ width: 180, marginBottom: 0 }}
                        >
                          <Input
                            maxLength={60}
                            placeholder={t('loyalty.settings.labelEn')}
                            aria-label={t('loyalty.settings.labelEn')}
                          />
                        </Form.Item>
                        <Form.Item name={[field.name, 'reward']} style={{ width: 130, marginBottom: 0 }}>
                          <Select
                            aria-label={t('loyalty.settings.reward')}
                            options={[
                              { value: 'points', label: t('loyalty.settings.rewardPoints') },
                              { value: 'discount', label: t('loyalty.settings.rewardDiscount') },
                            ]}
                          />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'value']}
                          rules={[{ required: true, message: t('common.required') }]}
                          style={{ width: 120, marginBottom: 0 }}
                        >
                          <InputNumber min={1} max={1_000_000} aria-label={t('loyalty.settings.value')} />
                        </Form.Item>
                        <Button
                          icon={<DeleteOutlined />}
                          aria-label={t('loyalty.settings.removeRule')}
                          onClick={() => remove(field.name)}
                        />
                      </Flex>
                    ))}
                    <Button
                      icon={<PlusOutlined />}
                      onClick={() =>
                        add({
                          key: '',
                          labelZh: '',
                          labelEn: '',
                          reward: 'points',
                          value: 100,
                        } satisfies Rule)
                      }
                      data-testid="loyalty-settings-add-rule"
                    >
                      {t('loyalty.settings.addRule')}
                    </Button>
                  </Flex>
                )}
              </Form.List>
            ) : (
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={settings.own.rules ? [] : settings.rules}
                locale={{ emptyText: t('loyalty.settings.noRules') }}
                columns={[
                  {
                    key: 'label',
                    title: t('loyalty.settings.rule'),
                    render: (_, rule) => (i18n.language === 'en' ? rule.labelEn : rule.labelZh),
                  },
                  {
                    key: 'reward',
                    title: t('loyalty.settings.reward'),
                    render: (_, rule) => t(`loyalty.reward.${rule.reward}`, { value: rule.value }),
                  },
                ]}
              />
            )}
          </Card>
        </Col>
        {editable ? (
          <Col xs={24}>
            <Button
              type="primary"
              htmlType="submit"
              loading={save.isPending}
              data-testid="loyalty-settings-save"
            >
              {t('common.save')}
            </Button>
          </Col>
        ) : null}
      </Row>
    </Form>
  );
}
