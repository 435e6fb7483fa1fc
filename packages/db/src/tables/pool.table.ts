import type {
  AssignmentMethod,
  PoolEntity,
  PoolMoveKind,
  PoolReleaseReason,
  PoolUnmatched,
} from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

export {
  ASSIGNMENT_METHODS,
  type AssignmentMethod,
  POOL_ENTITIES,
  POOL_MOVE_KINDS,
  POOL_RELEASE_REASONS,
  POOL_UNMATCHED,
  type PoolEntity,
  type PoolMoveKind,
  type PoolReleaseReason,
  type PoolUnmatched,
} from '@crm/domain';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type TextList = ColumnType<string[], string[] | undefined, string[]>;

/** An assignment rule (分配规则): migration 2026-12-10-0201-assignment-and-pool says what each column holds. */
export type AssignmentRulesTable = {
  tenant_id: string;
  id: Generated<string>;
  entity: PoolEntity;
  position: number;
  name: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  regions: TextList;
  industries: TextList;
  sources: TextList;
  method: AssignmentMethod;
  team_id: string | null;
  member_ids: TextList;
  cursor_user_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};
export type AssignmentRule = Selectable<AssignmentRulesTable>;

/** The tenant's 公海 settings: claim limits per role, the warning before a recycle, unmatched records. */
export type PoolSettingsTable = {
  tenant_id: string;
  claim_limits: ColumnType<Record<string, number>, string | undefined, string>;
  default_claim_limit: number | null;
  warn_days_before: number | null;
  unmatched: ColumnType<PoolUnmatched, PoolUnmatched | undefined, PoolUnmatched>;
  updated_by: string | null;
  updated_at: UpdatedAt;
};

/** The tenant's override of a recycle rule: per lead grade key or customer tier key ('*': any other). */
export type PoolRecycleRulesTable = {
  tenant_id: string;
  entity: PoolEntity;
  key: string;
  /** Null: never recycled automatically. */
  recycle_after_days: number | null;
  updated_by: string | null;
  updated_at: UpdatedAt;
};

/** One move of a lead or customer between owners and the pool (append-only). */
export type PoolMovesTable = {
  tenant_id: string;
  id: Generated<string>;
  entity: PoolEntity;
  lead_id: string | null;
  customer_id: string | null;
  kind: PoolMoveKind;
  from_user_id: string | null;
  to_user_id: string | null;
  team_id: string | null;
  rule_id: string | null;
  reason: PoolReleaseReason | null;
  note: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
  actor_user_id: string | null;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
};
export type PoolMove = Selectable<PoolMovesTable>;
