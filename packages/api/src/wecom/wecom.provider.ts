import { postToCheckedAddress } from '../webhooks/webhooks.delivery';
import { checkUrlForm, type NetworkPolicy, resolveAllowed, UrlRefused } from '../webhooks/webhooks.ssrf';

/**
 * The 企业微信 group robot (群机器人) at the HTTP boundary: one POST of a markdown message to
 * the robot's webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…), the only
 * outbound call of this capability. It goes through the webhooks' SSRF guard: the host is
 * resolved and every address must be public, the connection is made to the address checked,
 * and no redirect is followed. WeCom answers 200 with `{ errcode, errmsg }`; errcode 0 is
 * success. Tests answer for WeCom with msw.
 */
export type WecomSendResult = {
  ok: boolean;
  errcode: number | null;
  error: string | null;
  /** WeCom's own frequency limit (errcode 45009): try again after a minute. */
  throttled: boolean;
};

export type WecomProvider = {
  send(
    robotUrl: string,
    message: { markdown: string; mentions: readonly string[] },
    policy: NetworkPolicy,
  ): Promise<WecomSendResult>;
};

/** The robot's markdown is limited to 4,096 bytes. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
export const WECOM_TIMEOUT_MS = 10_000;
/** api freq out of limit */
const ERRCODE_THROTTLED = 45009;

/** The message body: markdown, members mentioned as `<@userid>`, cut to WeCom's 4,096 bytes. */
export function wecomBody(message: { markdown: string; mentions: readonly string[] }): string {
  const mentions = message.mentions.map((id) => `<@${id}>`).join(' ');
  let content = mentions ? `${message.markdown}\n${mentions}` : message.markdown;
  while (Buffer.byteLength(content) > WECOM_MARKDOWN_MAX_BYTES) content = content.slice(0, -16);
  return JSON.stringify({ msgtype: 'markdown', markdown: { content } });
}

function failure(error: string): WecomSendResult {
  return { ok: false, errcode: null, error: error.slice(0, 500), throttled: false };
}

export const httpWecomProvider: WecomProvider = {
  async send(robotUrl, message, policy) {
    try {
      // Robot URLs are https on WeCom's host (checked when saved); the guard runs again here.
      const url = checkUrlForm(robotUrl, { ...policy, allowHttp: false });
      const address = await resolveAllowed(url, policy);
      const answer = await postToCheckedAddress(
        url,
        address,
        { 'content-type': 'application/json', 'user-agent': 'crm-wecom/1' },
        wecomBody(message),
        WECOM_TIMEOUT_MS,
      );
      if (answer.status < 200 || answer.status >= 300) return failure(`HTTP ${answer.status}`);
      let parsed: { errcode?: unknown; errmsg?: unknown };
      try {
        parsed = JSON.parse(answer.text) as typeof parsed;
      } catch {
        return failure(`Unreadable answer: ${answer.text.slice(0, 200)}`);
      }
      if (parsed.errcode === 0) return { ok: true, errcode: 0, error: null, throttled: false };
      const errcode = typeof parsed.errcode === 'number' ? parsed.errcode : null;
      return {
        ok: false,
        errcode,
        error: `${errcode}: ${typeof parsed.errmsg === 'string' ? parsed.errmsg : ''}`.slice(0, 500),
        throttled: errcode === ERRCODE_THROTTLED,
      };
    } catch (error) {
      if (error instanceof UrlRefused)
        return failure(
          error.reason === 'forbidden'
            ? `Refused: ${error.host} is a private or reserved address`
            : `Refused: invalid URL or unknown host ${error.host}`,
        );
      return failure(error instanceof Error ? error.message : String(error));
    }
  },
};
