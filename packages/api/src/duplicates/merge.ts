import type { Database, Transaction } from '@crm/db';
import type { RecordAccess } from '../customers/access';
import { jobScope } from '../scope';
import type { MergeInput, MergeOutput } from './duplicates.schemas';
import { mergeCustomers as mergeInScope } from './duplicates.service';

/**
 * The package's `mergeCustomers` as it was, for scripts and tests that merge outside a
 * request: the member acting and what they see, without a whole scope.
 * @deprecated Use `mergeCustomers(scope, input)` from duplicates.service.
 */
export function mergeCustomers(
  actor: { trx: Transaction<Database>; tenantId: string; userId: string; access: RecordAccess },
  input: MergeInput,
): Promise<MergeOutput> {
  return mergeInScope(
    { ...jobScope(actor.trx, actor.tenantId), userId: actor.userId, access: actor.access },
    input,
  );
}
