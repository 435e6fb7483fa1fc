import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appCodeOf, errorMessage } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { LostReasonDialog } from './LostReasonDialog';
import { usePipeline } from './pipeline-labels';

/**
 * Moving a deal between stages, as the kanban, the table and the drawer do it: a move to the
 * lost stage asks for the reason first; a move refused at a gate is shown as a dialog naming
 * what is missing (the server's words); everything refreshes after a move.
 */
export function useMoveOpportunity() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { modal, message } = App.useApp();
  const showError = useShowError();
  const { pipeline, stageLabel } = usePipeline();
  const [losing, setLosing] = useState<string | null>(null);
  const move = useMutation(
    trpc.opportunities.move.mutationOptions({
      onSuccess: async (detail) => {
        void message.success(t('opportunities.moved', { stage: stageLabel(detail.stage) }));
        setLosing(null);
        await queryClient.invalidateQueries({ queryKey: trpc.opportunities.pathKey() });
      },
      onError: (error) => {
        if (appCodeOf(error) === 'OPPORTUNITY_GATE_FAILED') {
          modal.warning({
            title: t('opportunities.refusedTitle'),
            content: (
              <span data-testid="gate-refusal">
                {errorMessage(error, { network: t('errors.network'), unknown: t('errors.unknown') })}
              </span>
            ),
          });
        } else {
          showError(error);
        }
      },
    }),
  );
  const request = (id: string, stage: string) => {
    const target = pipeline?.stages.find((candidate) => candidate.key === stage);
    if (target?.kind === 'lost') {
      setLosing(id);
      return;
    }
    move.mutate({ id, stage });
  };
  const lostStage = pipeline?.stages.find((stage) => stage.kind === 'lost')?.key;
  const dialog = (
    <LostReasonDialog
      open={losing !== null}
      pending={move.isPending}
      onCancel={() => setLosing(null)}
      onConfirm={(reason, note) => {
        if (losing && lostStage)
          move.mutate({ id: losing, stage: lostStage, lostReason: reason, lostNote: note });
      }}
    />
  );
  return { request, pending: move.isPending, dialog };
}
