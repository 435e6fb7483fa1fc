import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useTRPC } from './trpc';

type Labels = { 'zh-CN': string; en: string };

/** The text of a plugin's label in the interface's language. */
export function useLabelText(): (labels: Labels) => string {
  const { i18n } = useTranslation();
  return (labels) => (i18n.language.startsWith('zh') ? labels['zh-CN'] : labels.en);
}

/** The industry profiles this server runs (its industry plugins), as the server lists them. */
export function useIndustryProfiles() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.industry.profiles.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
}

/** An industry profile's name in the interface's language; its id until the list has loaded. */
export function useIndustryName(): (id: string) => string {
  const profiles = useIndustryProfiles();
  const text = useLabelText();
  return (id) => {
    const profile = profiles.data?.find((candidate) => candidate.id === id);
    return profile ? text(profile.labels) : id;
  };
}
