import { readFileSync } from 'node:fs';
import { API_V1_ROUTES, ERRORS, type ErrorCode, httpStatusOf, openApiDocument } from '@crm/api';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from '@crm/domain';
import { describe, expect, it } from 'vitest';

/**
 * docs/api.md agrees with the code it describes: every error code in its table of errors is
 * answered with the status of its row; its table of event types lists exactly the catalogue's
 * types (`WEBHOOK_EVENTS`) with their names in both languages; and the OpenAPI document lists
 * the same events and, on the routes that take an Idempotency-Key, the 422 of a reused key.
 */
const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');

/** The rows of the markdown table that starts with `header`, as cells. */
function tableAfter(header: string): string[][] {
  const start = doc.indexOf(header);
  expect(start, `docs/api.md has a table headed ${header}`).toBeGreaterThan(-1);
  const lines = doc.slice(start).split('\n');
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const codesIn = (cell: string) =>
  [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] as string);

describe('docs/api.md', () => {
  it('lists each error code under the status the API answers it with', () => {
    const rows = tableAfter('| status | codes |');
    const listed: string[] = [];
    for (const [status, codes] of rows) {
      for (const code of codesIn(codes ?? '')) {
        expect(Object.hasOwn(ERRORS, code), `${code} is a code of packages/api/src/errors.ts`).toBe(true);
        const answered = httpStatusOf(code as ErrorCode);
        expect(`${code} → ${answered}`).toBe(`${code} → ${Number.parseInt(status ?? '', 10)}`);
        listed.push(code);
      }
    }
    expect(listed).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(listed.length).toBeGreaterThan(15);
  });

  it('names every event type of the catalogue, and no other, in both languages', () => {
    const rows = tableAfter('| type | name (名称) | emitted by | data |');
    const seen: string[] = [];
    for (const [types, names] of rows) {
      for (const type of [...(types ?? '').matchAll(/`([a-z_.]+)`/g)].map((match) => match[1] as string)) {
        const info = WEBHOOK_EVENTS[type as keyof typeof WEBHOOK_EVENTS];
        expect(info, `${type} is in WEBHOOK_EVENTS`).toBeDefined();
        expect(names).toContain(`${info.label['zh-CN']} · ${info.label.en}`);
        seen.push(type);
      }
    }
    expect(seen.sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});

describe('the OpenAPI document', () => {
  const document = openApiDocument() as unknown as {
    webhooks: Record<string, { post: { summary: string; description: string } }>;
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  };

  it('describes every event type as a webhook, with its names and when it is sent', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const { summary, description } = (
        document.webhooks[type] as { post: { summary: string; description: string } }
      ).post;
      expect(summary).toContain(WEBHOOK_EVENTS[type].label.en);
      expect(summary).toContain(WEBHOOK_EVENTS[type].label['zh-CN']);
      expect(description).toContain(WEBHOOK_EVENTS[type].description['zh-CN']);
    }
  });

  it('answers 422 for a reused Idempotency-Key exactly on the routes that take one', () => {
    for (const route of API_V1_ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.id);
      const idempotent = 'idempotent' in route && route.idempotent === true;
      expect(`${route.id}: ${Object.hasOwn(operation?.responses ?? {}, '422')}`).toBe(
        `${route.id}: ${idempotent}`,
      );
    }
  });
});
