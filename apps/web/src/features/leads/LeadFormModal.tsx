import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEAD_INTENTS, LEAD_SOURCES, type LeadDetail } from '../../lib/api-types';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useLeadRefresh } from './lead-meta';

type Values = {
  personName?: string;
  companyName?: string;
  jobTitle?: string;
  phone?: string;
  email?: string;
  wechat?: string;
  region?: string;
  industry?: string;
  companySize?: number | null;
  source?: LeadDetail['source'];
  campaign?: string;
  intent?: LeadDetail['intent'];
  needs?: string[];
  budget?: number | null;
  expectedCloseOn?: dayjs.Dayjs | null;
  decisionMakerReached?: boolean;
  notes?: string;
  ownerUserId?: string | null;
};
const FIELDS = [
  'personName',
  'companyName',
  'jobTitle',
  'phone',
  'email',
  'wechat',
  'region',
  'industry',
  'companySize',
  'source',
  'campaign',
  'intent',
  'needs',
  'budget',
  'expectedCloseOn',
  'notes',
  'ownerUserId',
];

type Props = {
  open: boolean;
  onClose: () => void;
  /** Edit this lead; none: create one. */
  lead?: LeadDetail | null;
  onCreated?: (lead: LeadDetail) => void;
};

/** The typed phone, email and names, settled for a moment (the duplicate check runs on them). */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** 新建 / 编辑线索, with the duplicate check against leads and customers as it is typed. */
export function LeadFormModal({ open, onClose, lead = null, onCreated }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useLeadRefresh();
  const { me } = useShell();
  const canManage = useCan('leads.manage');
  const canWork = useCan('leads.write');
  const canReadMembers = useCan('members.read');
  const [form] = Form.useForm<Values>();
  const [forced, setForced] = useState(false);
  const members = useQuery({
    ...trpc.members.list.queryOptions(),
    enabled: open && canManage && canReadMembers,
  });

  const phone = Form.useWatch('phone', form);
  const email = Form.useWatch('email', form);
  const personName = Form.useWatch('personName', form);
  const companyName = Form.useWatch('companyName', form);
  const typed = useSettled({ phone, email, personName, companyName });
  const checkable = Boolean(typed.phone?.trim() || typed.email?.trim() || typed.companyName?.trim());
  const duplicates = useQuery({
    ...trpc.leads.checkDuplicates.queryOptions({
      personName: typed.personName || null,
      companyName: typed.companyName || null,
      phone: typed.phone || null,
      email: typed.email || null,
      excludeId: lead?.id ?? null,
    }),
    enabled: open && checkable,
  });

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setForced(false);
    if (lead) {
      form.setFieldsValue({
        personName: lead.personName ?? '',
        companyName: lead.companyName ?? '',
        jobTitle: lead.jobTitle ?? '',
        phone: lead.phone ?? '',
        email: lead.email ?? '',
        wechat: lead.wechat ?? '',
        region: lead.region ?? '',
        industry: lead.industry ?? '',
        companySize: lead.companySize,
        campaign: lead.campaign ?? '',
        intent: lead.intent,
        needs: lead.needs,
        budget: lead.budget === null ? null : Number(lead.budget),
        expectedCloseOn: lead.expectedCloseOn ? dayjs(lead.expectedCloseOn) : null,
        decisionMakerReached: lead.decisionMakerReached,
        notes: lead.notes ?? '',
      });
    } else {
      form.setFieldsValue({ source: 'manual', needs: [], ownerUserId: canWork ? me.user.id : null });
    }
  }, [open, lead, form, canWork, me.user.id]);

  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.leads.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: async (created) => {
        void message.success(t('leads.form.created', { grade: created.grade ?? '—' }));
        onClose();
        await refresh();
        onCreated?.(created);
      },
      onError: (error) => showError(error, { form, fields: FIELDS }),
    }),
  );
  const update = useMutation(
    trpc.leads.update.mutationOptions({
      onSuccess: async () => {
        void message.success(t('leads.form.saved'));
        onClose();
        await refresh();
      },
      onError: (error) => showError(error, { form, fields: FIELDS }),
    }),
  );

  const submit = (values: Values) => {
    const fields = {
      personName: values.personName?.trim() || null,
      companyName: values.companyName?.trim() || null,
      jobTitle: values.jobTitle?.trim() || null,
      phone: values.phone?.trim() || null,
      email: values.email?.trim() || null,
      wechat: values.wechat?.trim() || null,
      region: values.region?.trim() || null,
      industry: values.industry?.trim() || null,
      companySize: values.companySize ?? null,
      campaign: values.campaign?.trim() || null,
      intent: values.intent ?? null,
      needs: (values.needs ?? []).map((need) => need.trim()).filter(Boolean),
      budget: values.budget ?? null,
      expectedCloseOn: values.expectedCloseOn ? values.expectedCloseOn.format('YYYY-MM-DD') : null,
      decisionMakerReached: values.decisionMakerReached ?? false,
      notes: values.notes?.trim() || null,
    };
    if (lead) update.mutate({ id: lead.id, ...fields });
    else
      create.mutate({
        ...fields,
        source: values.source ?? 'manual',
        ownerUserId: values.ownerUserId ?? null,
        force: forced,
      });
  };

  const found = checkable ? duplicates.data : undefined;
  const exactCustomers = found?.customers.matches.filter((match) => match.exact) ?? [];
  const blocking = Boolean(
    found && (found.leads.length > 0 || found.hiddenLeads > 0 || exactCustomers.length > 0),
  );
  const warnings = found
    ? [
        ...found.leads.map((item) =>
          t('leads.form.duplicateLead', {
            name: item.name,
            status: t(`marketing.leadStatuses.${item.status}`),
            owner: item.ownerName ?? t('leads.unassigned'),
          }),
        ),
        ...found.customers.matches
          .slice(0, 3)
          .map((match) => t('leads.form.duplicateCustomer', { name: match.customer.name })),
        ...(found.hiddenLeads > 0 ? [t('leads.form.duplicateHidden', { n: found.hiddenLeads })] : []),
      ]
    : [];
  const ownerOptions = [
    ...(canWork ? [{ value: me.user.id, label: me.user.name }] : []),
    ...(members.data ?? [])
      .filter((member) => member.userId !== me.user.id)
      .map((member) => ({ value: member.userId, label: member.name })),
  ];

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={lead ? t('leads.form.editTitle') : t('leads.form.createTitle')}
      width={720}
      destroyOnHidden
      onOk={() => form.submit()}
      okButtonProps={{
        loading: create.isPending || update.isPending,
        disabled: !lead && blocking && !forced,
        'data-testid': 'lead-form-submit',
      }}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="personName" label={t('leads.person')} extra={t('leads.form.nameHint')}>
              <Input maxLength={100} data-testid="lead-form-person" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="companyName" label={t('leads.company')}>
              <Input maxLength={200} data-testid="lead-form-company" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="phone" label={t('leads.phone')}>
              <Input maxLength={40} data-testid="lead-form-phone" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="email" label={t('leads.email')}>
              <Input maxLength={254} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="wechat" label={t('leads.wechat')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
        {warnings.length > 0 ? (
          <Alert
            type={blocking ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 16 }}
            message={t('leads.form.duplicateTitle')}
            data-testid="lead-duplicates"
            description={
              <>
                {warnings.map((warning) => (
                  <div key={warning}>{warning}</div>
                ))}
                {!lead && blocking ? (
                  <Checkbox
                    checked={forced}
                    onChange={(event) => setForced(event.target.checked)}
                    style={{ marginTop: 8 }}
                  >
                    {t('leads.form.createAnyway')}
                  </Checkbox>
                ) : null}
              </>
            }
          />
        ) : null}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="intent" label={t('leads.intent')}>
              <Select
                allowClear
                options={LEAD_INTENTS.map((intent) => ({
                  value: intent,
                  label: t(`marketing.intents.${intent}`),
                }))}
                data-testid="lead-form-intent"
              />
            </Form.Item>
          </Col>
          {!lead ? (
            <Col span={8}>
              <Form.Item name="source" label={t('leads.source')}>
                <Select
                  options={LEAD_SOURCES.map((source) => ({
                    value: source,
                    label: t(`marketing.leadSources.${source}`),
                  }))}
                />
              </Form.Item>
            </Col>
          ) : null}
          <Col span={8}>
            <Form.Item name="campaign" label={t('leads.campaign')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="needs" label={t('leads.needs')}>
              <Select mode="tags" open={false} placeholder={t('leads.needsPlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="budget" label={t('leads.budget')}>
              <InputNumber min={0} style={{ width: '100%' }} addonAfter="CNY" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="expectedCloseOn" label={t('leads.expectedCloseOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="companySize" label={t('leads.companySize')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="jobTitle" label={t('leads.jobTitle')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="region" label={t('leads.region')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="industry" label={t('leads.industry')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          {!lead && (canManage || canWork) ? (
            <Col span={12}>
              <Form.Item name="ownerUserId" label={t('leads.owner')} extra={t('leads.form.ownerHint')}>
                <Select allowClear disabled={!canManage} options={ownerOptions} />
              </Form.Item>
            </Col>
          ) : null}
          <Col span={12}>
            <Form.Item name="decisionMakerReached" valuePropName="checked" label=" ">
              <Checkbox>{t('leads.decisionMakerReached')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('leads.notes')}>
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
