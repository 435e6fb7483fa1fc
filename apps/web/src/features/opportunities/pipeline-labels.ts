import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Pipeline } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';

export type Bilingual = { 'zh-CN': string; en: string };

/** Picks the user's language of a plugin's label. */
export function usePick(): (labels: Bilingual) => string {
  const { i18n } = useTranslation();
  return useCallback(
    (labels: Bilingual) => (i18n.language === 'en' ? labels.en : labels['zh-CN']),
    [i18n.language],
  );
}

/** The tenant's pipeline (stages from its plugin) and a stage key's label. */
export function usePipeline(): {
  pipeline: Pipeline | undefined;
  stageLabel: (key: string | null) => string;
  reasonLabel: (key: string | null) => string;
} {
  const trpc = useTRPC();
  const pick = usePick();
  const { data } = useQuery({ ...trpc.opportunities.pipeline.queryOptions(), staleTime: 60_000 });
  const stageLabel = useCallback(
    (key: string | null) => {
      if (!key) return '';
      const stage = data?.stages.find((candidate) => candidate.key === key);
      return stage ? pick(stage.labels) : key;
    },
    [data, pick],
  );
  const reasonLabel = useCallback(
    (key: string | null) => {
      if (!key) return '';
      const reason = data?.lostReasons.find((candidate) => candidate.key === key);
      return reason ? pick(reason.labels) : key;
    },
    [data, pick],
  );
  return { pipeline: data, stageLabel, reasonLabel };
}

/** Days in a stage, for a card. */
export function daysIn(fromIso: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(fromIso).getTime()) / 86_400_000));
}
