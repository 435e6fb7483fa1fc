import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';

/** A label in the UI language from a `{ labelZh, labelEn }` pair. */
export function useLabelOf() {
  const { i18n } = useTranslation();
  return (item: { labelZh: string; labelEn: string }) =>
    i18n.language === 'en' ? item.labelEn : item.labelZh;
}

/** The tenant's ticket settings (categories, policies, tiers), read once and shared. */
export function useTicketSettings(enabled = true) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.tickets.settings.queryOptions(), enabled, staleTime: 60_000 });
}

/** A category key's label from the tenant's categories (the key itself when unknown). */
export function useCategoryLabel() {
  const settings = useTicketSettings();
  const labelOf = useLabelOf();
  return (key: string) => {
    const category = settings.data?.categories.find((item) => item.key === key);
    return category ? labelOf(category) : key;
  };
}
