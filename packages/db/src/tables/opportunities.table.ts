import type { DecisionRole, OpportunityStageKind } from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

export {
  DECISION_ROLES,
  type DecisionRole,
  OPPORTUNITY_STAGE_KINDS,
  type OpportunityStageKind,
} from '@crm/domain';

type Timestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A person of the customer's decision chain (决策链). */
export type DecisionChainMember = {
  name: string;
  title: string | null;
  role: DecisionRole;
  note: string | null;
};

/** A standard action ticked off: when and by whom. */
export type ActionDone = { at: string; by: string | null };

/**
 * An opportunity (商机) in the tenant's pipeline (migration 2026-12-10-0301-opportunities
 * says what each column holds).
 */
export type OpportunitiesTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  customer_id: string | null;
  contact_id: string | null;
  lead_id: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  stage: string;
  stage_kind: ColumnType<OpportunityStageKind, OpportunityStageKind | undefined, OpportunityStageKind>;
  stage_entered_at: ColumnType<Date, Date | string | undefined, Date | string>;
  amount: string | null;
  currency: ColumnType<string, string | undefined, string>;
  expected_close_on: ColumnType<string | null, string | null | undefined, string | null>;
  probability: ColumnType<number, number | undefined, number>;
  needs: ColumnType<string[], string[] | undefined, string[]>;
  competitors: ColumnType<string[], string[] | undefined, string[]>;
  decision_chain: ColumnType<DecisionChainMember[], string | undefined, string>;
  actions_done: ColumnType<Record<string, ActionDone>, string | undefined, string>;
  notes: string | null;
  lost_reason: string | null;
  lost_note: string | null;
  won_at: Timestamp;
  lost_at: Timestamp;
  order_id: string | null;
  handoff_task_id: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type Opportunity = Selectable<OpportunitiesTable>;

/** A product of an opportunity (line item). */
export type OpportunityLinesTable = {
  tenant_id: string;
  id: Generated<string>;
  opportunity_id: string;
  position: number;
  product: string;
  quantity: string;
  unit_price: string;
};

/** One move of an opportunity between stages. */
export type OpportunityStageHistoryTable = {
  tenant_id: string;
  id: Generated<string>;
  opportunity_id: string;
  from_stage: string | null;
  to_stage: string;
  to_kind: OpportunityStageKind;
  seconds_in_from: ColumnType<string | null, number | null | undefined, never>;
  changed_by: string | null;
  changed_at: ColumnType<Date, Date | string | undefined, never>;
};

/** The tenant's own lost reasons (输单原因), and the plugin's it hides. */
export type OpportunityLostReasonsTable = {
  tenant_id: string;
  key: string;
  label_zh: string | null;
  label_en: string | null;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
