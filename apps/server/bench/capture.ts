/**
 * The SQL a procedure sends, read off the real thing: the procedure is called once through
 * the production router (createCaller, a real session, the runtime role, RLS) on a database
 * whose every statement is recorded, and the statements of the procedure's body are kept.
 * The bare routes and BM6 run exactly these, so they cannot drift from the repository code.
 */
import { appRouter, createContext } from '@crm/api';
import { createSession } from '@crm/auth';
import { openDatabase } from '@crm/db';
import pino from 'pino';
import { createDependencies } from '../src/dependencies';

export type CapturedQuery = { sql: string; parameters: unknown[] };
/** A captured statement and how long it ran when it was captured (ms). */
export type TimedQuery = CapturedQuery & { ms: number };

/** What the tenant transaction itself sends (opening batch, scope, session, membership, end). */
const TRANSACTION_PLUMBING = [
  /^\s*(begin|commit|rollback)\b/i,
  /set_config\(/i,
  /^\s*select role, team_id from memberships/i,
  /from "?sessions"?/i,
  /crm_open_session\(/i,
];

export async function captureProcedure(
  appUrl: string,
  tenantId: string,
  userId: string,
  call: (caller: ReturnType<typeof appRouter.createCaller>) => Promise<unknown>,
): Promise<TimedQuery[]> {
  let recording = false;
  const recorded: { sql: string; parameters: readonly unknown[]; ms: number }[] = [];
  const database = await openDatabase({
    databaseUrl: appUrl,
    maxConnections: 1,
    onQuery: (query, ms) => {
      if (recording) recorded.push({ sql: query.sql, parameters: query.parameters, ms });
    },
  });
  try {
    const logger = pino({ level: 'silent' });
    const dependencies = createDependencies(database, logger, 'http://127.0.0.1');
    const { token } = await database.withScope({}, (trx) => createSession(trx, userId, tenantId));
    const context = await createContext(dependencies, {
      requestId: 'capture',
      sessionToken: token,
      clientIp: '127.0.0.1',
      locale: 'zh-CN',
      setSessionCookie() {},
      clearSessionCookie() {},
    });
    recording = true;
    await call(appRouter.createCaller(context));
    recording = false;
  } finally {
    await database.close();
  }
  return recorded
    .filter((query) => !TRANSACTION_PLUMBING.some((pattern) => pattern.test(query.sql)))
    .map((query) => ({ sql: query.sql, parameters: [...query.parameters], ms: query.ms }));
}
