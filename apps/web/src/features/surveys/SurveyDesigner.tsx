import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { checkSurveyForm, type SurveyQuestion } from '@crm/plugin-sdk';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { useCustomFields } from '../customers/profile-meta';
import { languageOf } from '../industry/json-schema';
import { ProfileMappingField } from './ProfileMapping';

export type SurveyItem = RouterOutputs['surveys']['list']['items'][number];

const TYPES = ['nps', 'rating', 'single_choice', 'multi_choice', 'text', 'number', 'yes_no'] as const;
type QuestionType = (typeof TYPES)[number];

type QuestionValues = {
  key: string;
  type: QuestionType;
  labelZh: string;
  labelEn?: string;
  required?: boolean;
  scaleMin?: number;
  scaleMax?: number;
  options?: { value: string; labelZh: string }[];
  /** 写入客户资料: the profile field, and for a need type or a field with options which option writes what. */
  profile?: { field?: string; values?: Record<string, string | undefined> };
};
type Values = { title: string; description?: string; kind: SurveyItem['kind']; questions: QuestionValues[] };

/** 问卷设计: a tenant's survey from the plugin's question types, checked by the server like a plugin's. */
export function SurveyDesigner({ survey, onClose }: { survey: SurveyItem | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const { active: customFields } = useCustomFields();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const save = useMutation(
    trpc.surveys.save.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.surveys.pathKey() });
        message.success(t('surveys.designer.saved'));
        onClose();
      },
      onError: (error) => showError(error, { form }),
    }),
  );
  const initial: Values = survey
    ? {
        title: survey.title['zh-CN'],
        description: survey.description?.['zh-CN'],
        kind: survey.kind,
        questions: survey.questions.map((question) => ({
          key: question.key,
          type: question.type,
          labelZh: question.labels['zh-CN'],
          labelEn: question.labels.en === question.labels['zh-CN'] ? undefined : question.labels.en,
          required: question.required,
          scaleMin: question.scale?.min,
          scaleMax: question.scale?.max,
          options: question.options.map((option) => ({
            value: option.value,
            labelZh: option.labels['zh-CN'],
          })),
          profile: question.profile ?? undefined,
        })),
      }
    : {
        title: '',
        kind: 'csat',
        questions: [
          { key: 'overall', type: 'rating', labelZh: '', required: true, scaleMin: 1, scaleMax: 5 },
        ],
      };
  /** The mapping as the API takes it: none without a field, and only the options that are mapped. */
  const profileOf = (question: QuestionValues) => {
    const field = question.profile?.field;
    if (!field) return {};
    const optionValues = new Set((question.options ?? []).map((option) => option.value));
    const values = Object.fromEntries(
      Object.entries(question.profile?.values ?? {}).filter(
        (entry): entry is [string, string] => Boolean(entry[1]) && optionValues.has(entry[0]),
      ),
    );
    return { profile: Object.keys(values).length > 0 ? { field, values } : { field } };
  };
  const submit = (values: Values) => {
    const questions = values.questions.map((question) => ({
      key: question.key,
      type: question.type,
      labels: { 'zh-CN': question.labelZh, ...(question.labelEn ? { en: question.labelEn } : {}) },
      ...(question.required ? { required: true } : {}),
      ...(question.type === 'rating' && question.scaleMin !== undefined && question.scaleMax !== undefined
        ? { scale: { min: question.scaleMin, max: question.scaleMax } }
        : {}),
      ...((question.type === 'single_choice' || question.type === 'multi_choice') && question.options
        ? {
            options: question.options.map((option) => ({
              value: option.value,
              labels: { 'zh-CN': option.labelZh },
            })),
          }
        : {}),
      ...profileOf(question),
    }));
    // The SDK's check, as the server runs it: a mapping that does not fit is shown on its
    // question before anything is sent.
    const problems = checkSurveyForm(
      {
        key: values.title,
        kind: values.kind,
        questions: questions.map((question) => ({
          ...question,
          labels: { 'zh-CN': question.labels['zh-CN'], en: question.labels.en ?? question.labels['zh-CN'] },
          options: question.options?.map((option) => ({
            value: option.value,
            labels: { 'zh-CN': option.labels['zh-CN'], en: option.labels['zh-CN'] },
          })),
        })) as SurveyQuestion[],
      },
      customFields,
    ).filter((problem) => problem.path.includes('.profile'));
    if (problems.length > 0) {
      const language = languageOf(i18n.language);
      form.setFields(
        problems.map((problem) => {
          const [, index] = problem.path.split('.');
          return {
            name: ['questions', Number(index), 'profile', 'field'],
            errors: [problem.message[language]],
          };
        }),
      );
      return;
    }
    save.mutate({
      ...(survey?.id ? { id: survey.id } : {}),
      kind: values.kind,
      title: values.title,
      description: values.description || null,
      questions,
    });
  };
  return (
    <Modal
      open
      width={760}
      title={survey ? t('surveys.designer.editTitle') : t('surveys.designer.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item
          name="title"
          label={t('surveys.designer.title')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('surveys.designer.description')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="kind" label={t('surveys.designer.kind')} extra={t('surveys.designer.kindHelp')}>
          <Select
            options={(['csat', 'nps', 'needs', 'custom'] as const).map((kind) => ({
              value: kind,
              label: t(`surveys.kinds.${kind}`),
            }))}
          />
        </Form.Item>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={12}>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  data-testid="survey-question"
                  title={t('surveys.designer.question', { index: index + 1 })}
                  extra={
                    <Button
                      type="text"
                      danger
                      size="small"
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={t('surveys.designer.remove')}
                    />
                  }
                >
                  <Flex gap={8} wrap>
                    <Form.Item
                      name={[field.name, 'key']}
                      label={t('surveys.designer.key')}
                      tooltip={t('surveys.designer.keyHelp')}
                      rules={[
                        {
                          required: true,
                          pattern: /^[a-z][a-z0-9_]{0,39}$/,
                          message: t('surveys.designer.keyHelp'),
                        },
                      ]}
                      style={{ width: 160 }}
                    >
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'type']}
                      label={t('surveys.designer.type')}
                      style={{ width: 180 }}
                    >
                      <Select
                        options={TYPES.map((type) => ({ value: type, label: t(`surveys.types.${type}`) }))}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'required']} valuePropName="checked" label=" ">
                      <Checkbox>{t('surveys.designer.required')}</Checkbox>
                    </Form.Item>
                  </Flex>
                  <Form.Item
                    name={[field.name, 'labelZh']}
                    label={t('surveys.designer.labelZh')}
                    rules={[{ required: true, message: t('common.required') }]}
                  >
                    <Input maxLength={300} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'labelEn']} label={t('surveys.designer.labelEn')}>
                    <Input maxLength={300} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const type = form.getFieldValue(['questions', field.name, 'type']) as QuestionType;
                      if (type === 'rating') {
                        return (
                          <Flex gap={8}>
                            <Form.Item name={[field.name, 'scaleMin']} label={t('surveys.designer.scaleMin')}>
                              <InputNumber min={0} max={99} />
                            </Form.Item>
                            <Form.Item name={[field.name, 'scaleMax']} label={t('surveys.designer.scaleMax')}>
                              <InputNumber min={1} max={100} />
                            </Form.Item>
                          </Flex>
                        );
                      }
                      if (type !== 'single_choice' && type !== 'multi_choice') return null;
                      return (
                        <Form.List name={[field.name, 'options']}>
                          {(options, optionOps) => (
                            <Flex vertical gap={4}>
                              {options.map((option) => (
                                <Flex key={option.key} gap={8}>
                                  <Form.Item
                                    name={[option.name, 'value']}
                                    rules={[
                                      {
                                        required: true,
                                        pattern: /^[a-z][a-z0-9_]{0,39}$/,
                                        message: t('surveys.designer.optionValueHelp'),
                                      },
                                    ]}
                                    style={{ width: 140, marginBottom: 4 }}
                                  >
                                    <Input placeholder={t('surveys.designer.optionValue')} />
                                  </Form.Item>
                                  <Form.Item
                                    name={[option.name, 'labelZh']}
                                    rules={[{ required: true, message: t('common.required') }]}
                                    style={{ flex: 1, marginBottom: 4 }}
                                  >
                                    <Input placeholder={t('surveys.designer.optionLabel')} />
                                  </Form.Item>
                                  <Button
                                    type="text"
                                    icon={<DeleteOutlined />}
                                    onClick={() => optionOps.remove(option.name)}
                                    aria-label={t('surveys.designer.remove')}
                                  />
                                </Flex>
                              ))}
                              <Button
                                size="small"
                                icon={<PlusOutlined />}
                                onClick={() => optionOps.add({ value: '', labelZh: '' })}
                                data-testid="survey-add-option"
                              >
                                {t('surveys.designer.addOption')}
                              </Button>
                            </Flex>
                          )}
                        </Form.List>
                      );
                    }}
                  </Form.Item>
                  <ProfileMappingField form={form} name={field.name} />
                </Card>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ key: `q${fields.length + 1}`, type: 'text', labelZh: '' })}
                data-testid="survey-add-question"
              >
                {t('surveys.designer.addQuestion')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
