import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE,
  failedGates,
  type GateFacts,
  gatesOfMove,
  moveAllowed,
  type Pipeline,
  stageOf,
} from './pipeline';

const pipeline: Pipeline = {
  origin: 'test',
  stages: [
    {
      key: 'needs',
      kind: 'open',
      labels: { 'zh-CN': '需求沟通', en: 'Needs' },
      probability: 20,
      actions: [],
      gates: [{ minNeeds: 3 }],
    },
    {
      key: 'proposal',
      kind: 'open',
      labels: { 'zh-CN': '方案制定', en: 'Proposal' },
      probability: 40,
      actions: [
        { key: 'sent', labels: { 'zh-CN': '提交方案', en: 'Send the proposal' }, dueWithinHours: 48 },
      ],
      gates: [{ actionsDone: ['sent'] }, { fieldsPresent: ['amount', 'line_items'] }],
    },
    {
      key: 'won',
      kind: 'won',
      labels: { 'zh-CN': '赢单', en: 'Won' },
      probability: 100,
      actions: [],
      gates: [],
    },
    {
      key: 'lost',
      kind: 'lost',
      labels: { 'zh-CN': '输单', en: 'Lost' },
      probability: 0,
      actions: [],
      gates: [],
    },
    {
      key: 'after',
      kind: 'after_sales',
      labels: { 'zh-CN': '售后', en: 'After sales' },
      probability: 100,
      actions: [],
      gates: [],
    },
  ],
  lostReasons: [],
};
const stage = (key: string) => {
  const found = stageOf(pipeline, key);
  if (!found) throw new Error(key);
  return found;
};
const facts = (changes: Partial<GateFacts> = {}): GateFacts => ({
  needs: [],
  actionsDone: [],
  amount: null,
  expectedCloseOn: null,
  contactId: null,
  lineCount: 0,
  competitors: [],
  decisionChainCount: 0,
  ...changes,
});

describe('pipeline gates', () => {
  it('checks every open stage left behind going forward, none going back or losing', () => {
    expect(gatesOfMove(pipeline, stage('needs'), stage('proposal')).map((s) => s.key)).toEqual(['needs']);
    expect(gatesOfMove(pipeline, stage('needs'), stage('won')).map((s) => s.key)).toEqual([
      'needs',
      'proposal',
    ]);
    expect(gatesOfMove(pipeline, stage('proposal'), stage('needs'))).toEqual([]);
    expect(gatesOfMove(pipeline, stage('proposal'), stage('lost'))).toEqual([]);
  });

  it('names what is missing in both languages', () => {
    expect(failedGates(stage('needs'), facts({ needs: ['a'] })).map((f) => f.missing)).toEqual([
      { 'zh-CN': '至少记录 3 条核心需求（已记录 1 条）', en: 'at least 3 core needs recorded (1 so far)' },
    ]);
    expect(failedGates(stage('needs'), facts({ needs: ['a', 'b', 'c'] }))).toEqual([]);
    expect(failedGates(stage('proposal'), facts({ amount: '0' })).map((f) => f.missing)).toEqual([
      { 'zh-CN': '完成标准动作「提交方案」', en: 'the standard action “Send the proposal” done' },
      { 'zh-CN': '填写金额、产品明细', en: 'the amount, line items filled in' },
    ]);
    expect(
      failedGates(stage('proposal'), facts({ actionsDone: ['sent'], amount: '10', lineCount: 1 })),
    ).toEqual([]);
  });

  it('allows the moves a deal can make', () => {
    expect(moveAllowed(stage('needs'), stage('won'))).toBe(true);
    expect(moveAllowed(stage('needs'), stage('after'))).toBe(false);
    expect(moveAllowed(stage('lost'), stage('needs'))).toBe(true);
    expect(moveAllowed(stage('won'), stage('needs'))).toBe(false);
    expect(moveAllowed(stage('won'), stage('after'))).toBe(true);
    expect(moveAllowed(stage('after'), stage('won'))).toBe(false);
  });

  it('has a default pipeline for plugins without one', () => {
    expect(DEFAULT_PIPELINE.stages.map((s) => s.kind)).toEqual(['open', 'open', 'open', 'won', 'lost']);
  });
});
