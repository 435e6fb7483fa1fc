import { Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { OrganisationForm } from './OrganisationForm';

export function CreateOrganisationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} title={t('org.createTitle')} onCancel={onClose} footer={null} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('org.createDescription')}</Typography.Paragraph>
      <OrganisationForm onDone={onClose} onCancel={onClose} />
    </Modal>
  );
}
