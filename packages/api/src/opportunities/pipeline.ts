import type { OpportunityStageKind } from '@crm/domain';
import type { OpportunityField, PipelineDefinition, Resolved } from '@crm/plugin-sdk';

/*
 * The tenant's pipeline (商机阶段) as the core runs it, and the gates of a move — pure, no
 * SQL. The stages come from the tenant's plugin (`pipeline`, every number read from the
 * tenant's settings); a plugin without one gets the core's default stages below.
 */

export type Bilingual = { 'zh-CN': string; en: string };

export type StageAction = { key: string; labels: Bilingual; dueWithinHours: number | null };
export type StageGate =
  | { minNeeds: number }
  | { actionsDone: readonly string[] }
  | { fieldsPresent: readonly OpportunityField[] };

export type Stage = {
  key: string;
  kind: OpportunityStageKind;
  labels: Bilingual;
  probability: number;
  actions: readonly StageAction[];
  gates: readonly StageGate[];
};

export type Pipeline = {
  /** Where the stages come from: the plugin's id, or 'core' for the default stages. */
  origin: string;
  stages: readonly Stage[];
  lostReasons: readonly { key: string; labels: Bilingual }[];
};

const text = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, en });

/** The stages every tenant has when its plugin brings none. */
export const DEFAULT_PIPELINE: Pipeline = {
  origin: 'core',
  stages: [
    {
      key: 'stage_qualify',
      kind: 'open',
      labels: text('需求确认', 'Qualify'),
      probability: 20,
      actions: [
        { key: 'action_needs', labels: text('记录核心需求', 'Record the core needs'), dueWithinHours: null },
      ],
      gates: [{ minNeeds: 1 }],
    },
    {
      key: 'stage_proposal',
      kind: 'open',
      labels: text('方案报价', 'Proposal'),
      probability: 50,
      actions: [
        { key: 'action_proposal', labels: text('提交方案', 'Send the proposal'), dueWithinHours: 48 },
      ],
      gates: [{ actionsDone: ['action_proposal'] }],
    },
    {
      key: 'stage_negotiation',
      kind: 'open',
      labels: text('商务谈判', 'Negotiation'),
      probability: 75,
      actions: [],
      gates: [],
    },
    { key: 'stage_won', kind: 'won', labels: text('赢单', 'Won'), probability: 100, actions: [], gates: [] },
    { key: 'stage_lost', kind: 'lost', labels: text('输单', 'Lost'), probability: 0, actions: [], gates: [] },
  ],
  lostReasons: [
    { key: 'lost_price', labels: text('价格原因', 'Price') },
    { key: 'lost_competitor', labels: text('选择了竞争对手', 'Chose a competitor') },
    { key: 'lost_no_budget', labels: text('没有预算', 'No budget') },
    { key: 'lost_no_decision', labels: text('项目搁置', 'No decision') },
    { key: 'lost_other', labels: text('其他', 'Other') },
  ],
};

/** A plugin's resolved pipeline as the core runs it. */
export function pipelineOf(origin: string, definition: Resolved<PipelineDefinition>): Pipeline {
  return {
    origin,
    stages: definition.stages.map((stage) => ({
      key: stage.key,
      kind: stage.kind,
      labels: text(stage.labels['zh-CN'], stage.labels.en),
      probability: stage.probability,
      actions: (stage.actions ?? []).map((action) => ({
        key: action.key,
        labels: text(action.labels['zh-CN'], action.labels.en),
        dueWithinHours: action.dueWithinHours ?? null,
      })),
      gates: (stage.gates ?? []) as readonly StageGate[],
    })),
    lostReasons: (definition.lostReasons ?? []).map((reason) => ({
      key: reason.key,
      labels: text(reason.labels['zh-CN'], reason.labels.en),
    })),
  };
}

export function stageOf(pipeline: Pipeline, key: string): Stage | undefined {
  return pipeline.stages.find((stage) => stage.key === key);
}

export function firstOpenStage(pipeline: Pipeline): Stage {
  const stage = pipeline.stages.find((candidate) => candidate.kind === 'open');
  if (!stage) throw new Error('a pipeline has at least one open stage');
  return stage;
}

export function stageOfKind(pipeline: Pipeline, kind: OpportunityStageKind): Stage | undefined {
  return pipeline.stages.find((stage) => stage.kind === kind);
}

/** What the gates read of an opportunity. */
export type GateFacts = {
  needs: readonly string[];
  actionsDone: readonly string[];
  amount: string | null;
  expectedCloseOn: string | null;
  contactId: string | null;
  lineCount: number;
  competitors: readonly string[];
  decisionChainCount: number;
};

/** A gate that failed: the stage it guards and what is missing, in both languages. */
export type GateFailure = { stage: string; gate: StageGate; missing: Bilingual };

const FIELD_LABELS: Record<OpportunityField, Bilingual> = {
  amount: text('金额', 'amount'),
  expected_close_on: text('预计成交日期', 'expected close date'),
  contact: text('联系人', 'contact'),
  line_items: text('产品明细', 'line items'),
  competitors: text('竞争对手', 'competitors'),
  decision_chain: text('决策链', 'decision chain'),
};

function fieldPresent(facts: GateFacts, field: OpportunityField): boolean {
  switch (field) {
    case 'amount':
      return facts.amount !== null && Number(facts.amount) > 0;
    case 'expected_close_on':
      return facts.expectedCloseOn !== null;
    case 'contact':
      return facts.contactId !== null;
    case 'line_items':
      return facts.lineCount > 0;
    case 'competitors':
      return facts.competitors.length > 0;
    case 'decision_chain':
      return facts.decisionChainCount > 0;
  }
}

/** The gates of one stage that the opportunity does not pass. */
export function failedGates(stage: Stage, facts: GateFacts): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const gate of stage.gates) {
    if ('minNeeds' in gate) {
      if (facts.needs.length < gate.minNeeds) {
        failures.push({
          stage: stage.key,
          gate,
          missing: text(
            `至少记录 ${gate.minNeeds} 条核心需求（已记录 ${facts.needs.length} 条）`,
            `at least ${gate.minNeeds} core needs recorded (${facts.needs.length} so far)`,
          ),
        });
      }
    } else if ('actionsDone' in gate) {
      const missing = gate.actionsDone.filter((key) => !facts.actionsDone.includes(key));
      if (missing.length > 0) {
        const labels = missing.map(
          (key) => stage.actions.find((action) => action.key === key)?.labels ?? text(key, key),
        );
        failures.push({
          stage: stage.key,
          gate,
          missing: text(
            `完成标准动作${labels.map((label) => `「${label['zh-CN']}」`).join('、')}`,
            `the standard action${labels.length > 1 ? 's' : ''} ${labels.map((label) => `“${label.en}”`).join(', ')} done`,
          ),
        });
      }
    } else {
      const missing = gate.fieldsPresent.filter((field) => !fieldPresent(facts, field));
      if (missing.length > 0) {
        failures.push({
          stage: stage.key,
          gate,
          missing: text(
            `填写${missing.map((field) => FIELD_LABELS[field]['zh-CN']).join('、')}`,
            `the ${missing.map((field) => FIELD_LABELS[field].en).join(', ')} filled in`,
          ),
        });
      }
    }
  }
  return failures;
}

/**
 * The gates a move from `from` to `to` must pass: those of every open stage the deal leaves
 * behind going forward (from the current one up to the target, or all the rest when it is
 * won). Moving back, losing the deal, and moves out of closed stages pass no gate.
 */
export function gatesOfMove(pipeline: Pipeline, from: Stage, to: Stage): Stage[] {
  if (from.kind !== 'open') return [];
  const open = pipeline.stages.filter((stage) => stage.kind === 'open');
  const fromIndex = open.indexOf(from);
  if (to.kind === 'won' || to.kind === 'after_sales') return open.slice(fromIndex);
  if (to.kind !== 'open') return [];
  const toIndex = open.indexOf(to);
  return toIndex > fromIndex ? open.slice(fromIndex, toIndex) : [];
}

/** Which moves are possible at all, whatever the gates say. */
export function moveAllowed(from: Stage, to: Stage): boolean {
  if (from.key === to.key) return false;
  switch (from.kind) {
    case 'open':
      return to.kind !== 'after_sales';
    case 'lost':
      // A lost deal may be taken up again.
      return to.kind === 'open';
    case 'won':
      return to.kind === 'after_sales';
    case 'after_sales':
      return false;
  }
}
