import type { TaskType } from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const PLAN_STATUSES = ['draft', 'pending', 'active', 'rejected', 'ended'] as const;
/** draft → pending → active / rejected; ended when the customer's tier or the cadence no longer fits. */
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_END_REASONS = ['tier_changed', 'cadence_removed', 'customer_inactive'] as const;
export type PlanEndReason = (typeof PLAN_END_REASONS)[number];
export const PLAN_DECISION_ACTIONS = ['submit', 'approve', 'reject'] as const;
export type PlanDecisionAction = (typeof PLAN_DECISION_ACTIONS)[number];
export const CADENCE_UNITS = ['day', 'week', 'month'] as const;
export type CadenceUnit = (typeof CADENCE_UNITS)[number];

/** A contact cadence in force for a tenant: its plugin's cadence resolved against its settings. */
export type PlanCadencesTable = {
  tenant_id: string;
  cadence_key: string;
  tier: string;
  every_count: number;
  unit: CadenceUnit;
  task_type: TaskType;
  title_zh: string;
  title_en: string;
  /** Goals of the cadence, `{ 'zh-CN', en }` each. */
  goals: ColumnType<Array<{ 'zh-CN': string; en: string }>, string | undefined, string>;
  requires_approval: ColumnType<boolean, boolean | undefined, boolean>;
  position: ColumnType<number, number | undefined, number>;
  updated_at: Stamp;
};
export type PlanCadence = Selectable<PlanCadencesTable>;

/** A maintenance plan (维护计划): one customer, one cadence of its tier. */
export type MaintenancePlansTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  cadence_key: string;
  tier: string;
  status: PlanStatus;
  /** 'YYYY-MM-DD': the first occurrence; the others follow every interval from it. */
  anchor_on: ColumnType<string, string, string>;
  /** The admin's own goals for this plan (text each), beside the cadence's. */
  goals: ColumnType<string[], string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  submitted_at: MaybeStamp;
  activated_at: MaybeStamp;
  decided_by: string | null;
  decided_at: MaybeStamp;
  decision_comment: string | null;
  ended_at: MaybeStamp;
  end_reason: PlanEndReason | null;
  updated_at: Stamp;
};
export type MaintenancePlan = Selectable<MaintenancePlansTable>;

/** The approval trail of a plan: submitted, approved, rejected, with comments. */
export type PlanDecisionsTable = {
  tenant_id: string;
  id: Generated<string>;
  plan_id: string;
  action: PlanDecisionAction;
  comment: string | null;
  decided_by: string | null;
  decided_at: ColumnType<Date, Date | string | undefined, never>;
};
