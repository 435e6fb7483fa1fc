import type { WecomEvent } from '@crm/domain';
import { appError } from '../errors';
import { renderNotification } from '../notifications/notifications.messages';
import type { Scope } from '../scope';
import { getCipher } from '../sensitive/sensitive.service';
import {
  insertMessages,
  insertTestMessage,
  saveBinding,
  selectBindings,
  selectRecentMessages,
  selectSettings,
  upsertSettings,
} from './wecom.repository';
import type {
  SaveWecomSettingsInput,
  WecomBindingOutput,
  WecomMessageOutput,
  WecomSettingsOutput,
} from './wecom.schemas';

/** The robot URL is encrypted under the tenant's data key (it lets anyone post to the group). */
const URL_FIELD = 'wecom_robot_url';
const URL_AAD_ID = '00000000-0000-0000-0000-000000000000';

export async function getWecomSettings(scope: Scope): Promise<WecomSettingsOutput> {
  const row = await selectSettings(scope);
  return {
    connected: Boolean(row?.robot_url_cipher),
    robotUrlHint: row?.robot_url_hint ?? null,
    enabled: row?.enabled ?? false,
    events: (row?.events ?? []) as WecomSettingsOutput['events'],
    updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
  };
}

export async function saveWecomSettings(
  scope: Scope,
  input: SaveWecomSettingsInput,
): Promise<WecomSettingsOutput> {
  let robotUrlCipher: string | null | undefined;
  let robotUrlHint: string | null | undefined;
  if (input.robotUrl === null) {
    robotUrlCipher = null;
    robotUrlHint = null;
  } else if (input.robotUrl !== undefined) {
    const cipher = await getCipher(scope);
    robotUrlCipher = cipher.encrypt(URL_FIELD, URL_AAD_ID, input.robotUrl).ciphertext;
    robotUrlHint = `…${input.robotUrl.slice(-4)}`;
  }
  await upsertSettings(scope, {
    robotUrlCipher,
    robotUrlHint,
    enabled: input.enabled,
    events: [...new Set(input.events)],
  });
  return getWecomSettings(scope);
}

/** The robot's URL, decrypted for the sender; null when none is connected. */
export async function robotUrlOf(scope: Scope): Promise<string | null> {
  const row = await selectSettings(scope);
  if (!row?.robot_url_cipher) return null;
  return (await getCipher(scope)).decrypt(URL_FIELD, URL_AAD_ID, row.robot_url_cipher);
}

export function listWecomBindings(scope: Scope): Promise<WecomBindingOutput[]> {
  return selectBindings(scope);
}

export async function saveWecomBinding(
  scope: Scope,
  userId: string,
  wecomUserId: string | null,
): Promise<WecomBindingOutput[]> {
  if (!(await saveBinding(scope, userId, wecomUserId))) throw appError('MEMBER_NOT_FOUND');
  return selectBindings(scope);
}

export async function sendWecomTest(scope: Scope): Promise<WecomSettingsOutput> {
  const settings = await getWecomSettings(scope);
  if (!settings.connected) throw appError('WECOM_NOT_CONNECTED');
  await insertTestMessage(
    scope,
    '**CRM 已连接企业微信群机器人**\n> 任务提醒、SLA 超时、待审批和赢单将按设置推送到本群。',
  );
  return settings;
}

export function recentWecomMessages(scope: Scope): Promise<WecomMessageOutput[]> {
  return selectRecentMessages(scope, 20);
}

const WECOM_KINDS: ReadonlySet<string> = new Set<WecomEvent>([
  'task_due',
  'task_overdue',
  'ticket_sla_warning',
  'ticket_sla_breach',
  'ticket_escalated',
  'plan_approval',
]);

/**
 * What notifications also post to the group (called by notifyUsers, in its transaction):
 * one robot message per event and object, whatever number of members it told, mentioning
 * those bound to a WeCom id; only kinds the tenant switched on.
 */
export async function relayToWecom(
  scope: Scope,
  drafts: readonly {
    userId: string;
    kind: string;
    message: string;
    params: Record<string, string | number>;
    entity?: { kind: string; id: string } | null;
  }[],
): Promise<number> {
  const groups = new Map<string, { event: string; markdown: string; userIds: string[] }>();
  for (const draft of drafts) {
    if (!WECOM_KINDS.has(draft.kind)) continue;
    const key = `${draft.kind}:${draft.entity?.id ?? draft.message}:${JSON.stringify(draft.params)}`;
    const group = groups.get(key);
    if (group) {
      group.userIds.push(draft.userId);
      continue;
    }
    const { title, body } = renderNotification(draft.message, draft.params, 'zh-CN');
    groups.set(key, {
      event: draft.kind,
      markdown: body ? `**${title}**\n> ${body}` : `**${title}**`,
      userIds: [draft.userId],
    });
  }
  return insertMessages(scope, [...groups.values()]);
}

/** A won deal (or another event of a capability without a notification) posted to the group. */
export async function postToWecom(
  scope: Scope,
  event: WecomEvent,
  markdown: string,
  userIds: string[] = [],
): Promise<number> {
  return insertMessages(scope, [{ event, markdown, userIds }]);
}
