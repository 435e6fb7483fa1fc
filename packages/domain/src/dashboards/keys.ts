/**
 * The dashboards and the keys of the KPI catalogue (kpis.ts), on their own: a list's search
 * parameters check a KPI key against these without loading the catalogue (its definitions in
 * both languages). The catalogue declares exactly these keys, in this order (kpis.test.ts).
 */

export const DASHBOARDS = ['management', 'sales', 'operations', 'service'] as const;
export type Dashboard = (typeof DASHBOARDS)[number];

// Typed as strings, as KpiKey is (kpis.ts): the catalogue's entries are checked against these by test.
export const KPI_KEYS: [string, ...string[]] = [
  'customers_total',
  'customers_by_stage',
  'new_customers',
  'tier_moves',
  'repurchase_rate',
  'retention_rate',
  'churn_rate',
  'average_order_value',
  'revenue_by_tier',
  'cross_sell_share',
  'completeness_average',
  'completeness_share',
  'stale_profiles',
  'customers_per_rep',
  'plan_task_completion',
  'contact_cadence_compliance',
  'task_sla_compliance',
  'overdue_tasks',
  'ticket_closure_rate',
  'ticket_first_response_hours',
  'ticket_resolution_hours',
  'ticket_sla_compliance',
  'lead_funnel',
  'lead_conversion_rate',
  'lead_conversion_by_grade',
  'lead_conversion_by_rep',
  'lead_first_contact_hours',
  'lead_sla_compliance',
  'sales_cycle_days',
  'win_rate',
  'pipeline_value',
  'nps',
  'csat',
];
