import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { idempotent, useIdempotencyKey } from '../../lib/idempotency';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { ColorSwatch, TagChip } from './TagChip';
import { type FreeTag, TAG_COLORS, type TagColor } from './types';

type Values = { name: string; color: TagColor; description?: string };
const FIELDS = ['name', 'color', 'description'] as const;

type Props = {
  open: boolean;
  /** Edit this tag; without it the modal creates one. */
  tag?: FreeTag;
  onClose: () => void;
};

/** tags.create / tags.update: name, colour and a description of when to use it. */
export function TagFormModal({ open, tag, onClose }: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const name = Form.useWatch('name', form);
  const color = Form.useWatch('color', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      tag
        ? { name: tag.name, color: tag.color, description: tag.description ?? '' }
        : { name: '', color: 'blue', description: '' },
    );
  }, [open, tag, form]);

  const onError = (error: unknown) => showError(error, { form, fields: FIELDS });
  const onSaved = async (text: string) => {
    void message.success(text);
    onClose();
    await queryClient.invalidateQueries(trpc.tags.list.pathFilter());
  };
  const idempotencyKey = useIdempotencyKey(open);
  const create = useMutation(
    trpc.tags.create.mutationOptions({
      trpc: idempotent(idempotencyKey),
      onSuccess: (created) => onSaved(t('customerSettings.tags.created', { name: created.name })),
      onError,
    }),
  );
  const update = useMutation(
    trpc.tags.update.mutationOptions({
      onSuccess: (updated) => onSaved(t('customerSettings.tags.updated', { name: updated.name })),
      onError,
    }),
  );

  const submit = (values: Values) => {
    const fields = {
      name: values.name.trim(),
      color: values.color,
      description: values.description?.trim() ?? '',
    };
    if (!tag) {
      create.mutate({ ...fields, description: fields.description || null });
      return;
    }
    const changes = {
      ...(fields.name !== tag.name ? { name: fields.name } : {}),
      ...(fields.color !== tag.color ? { color: fields.color } : {}),
      ...(fields.description !== (tag.description ?? '') ? { description: fields.description || null } : {}),
    };
    if (Object.keys(changes).length === 0) {
      void message.info(t('common.noChanges'));
      onClose();
      return;
    }
    update.mutate({ id: tag.id, ...changes });
  };

  return (
    <Modal
      open={open}
      title={tag ? t('customerSettings.tags.editTitle') : t('customerSettings.tags.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            data-testid="tag-submit"
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
          >
            {tag ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="name"
          label={t('customerSettings.tags.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input
            data-testid="tag-name"
            autoFocus
            maxLength={30}
            showCount
            placeholder={t('customerSettings.tags.namePlaceholder')}
          />
        </Form.Item>
        <Form.Item name="color" label={t('customerSettings.tags.color')}>
          <Radio.Group
            aria-label={t('customerSettings.tags.color')}
            style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
          >
            {TAG_COLORS.map((value) => (
              <Radio key={value} value={value} data-testid={`tag-color-${value}`}>
                <Flex align="center" gap={6}>
                  <ColorSwatch color={value} />
                  {t(`customerSettings.tags.colors.${value}`)}
                </Flex>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="description" label={t('customerSettings.tags.description')}>
          <Input.TextArea
            data-testid="tag-description"
            maxLength={200}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('customerSettings.tags.descriptionPlaceholder')}
          />
        </Form.Item>
        <Flex align="center" gap={8}>
          <Typography.Text type="secondary">
            {t('customerSettings.tags.preview')}
            {t('common.colon')}
          </Typography.Text>
          <TagChip
            name={name?.trim() || t('customerSettings.tags.previewFallback')}
            color={color ?? 'blue'}
          />
        </Flex>
      </Form>
    </Modal>
  );
}
