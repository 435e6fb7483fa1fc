import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { languageOf } from './json-schema';

/** The tiers of the tenant's industry profile, and a tier key's name in the UI language. */
export function useTiers() {
  const trpc = useTRPC();
  const { t, i18n } = useTranslation();
  const current = useQuery({ ...trpc.industry.current.queryOptions(), staleTime: 5 * 60_000 });
  const tiers = current.data?.state === 'ok' ? current.data.profile.tiers : [];
  const language = languageOf(i18n.language);
  const tierLabel = useCallback(
    (key: string | null) => {
      if (key === null) return t('tiers.none');
      return tiers.find((tier) => tier.key === key)?.labels[language] ?? key;
    },
    [tiers, language, t],
  );
  return { tiers, tierLabel, language };
}
