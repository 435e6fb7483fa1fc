import { appError } from '../errors';
import type { Scope } from '../scope';
import {
  countTags,
  deleteTagRow,
  insertTag,
  selectTags,
  untagAllCustomers,
  updateTagRow,
} from './tags.repository';
import type { CreateTagInput, TagOutput, UpdateTagInput } from './tags.schemas';

/**
 * The use cases of free tags. Each runs inside the caller's transaction (the request's or the
 * job's, `scope.trx`): everything a use case writes commits or rolls back together. Errors are
 * values with a code (errors.ts); the edges translate them.
 */

export function listTags(scope: Scope): Promise<TagOutput[]> {
  return selectTags(scope);
}

export async function createTag(scope: Scope, input: CreateTagInput): Promise<TagOutput> {
  const tag = await insertTag(scope, {
    name: input.name,
    color: input.color,
    description: input.description ?? null,
  });
  if (tag === 'NAME_TAKEN') throw appError('TAG_NAME_TAKEN', {}, 'name');
  return tag;
}

export async function updateTag(scope: Scope, input: UpdateTagInput): Promise<TagOutput> {
  const { id, ...changes } = input;
  const tag = await updateTagRow(scope, id, changes);
  if (tag === 'NAME_TAKEN') throw appError('TAG_NAME_TAKEN', {}, 'name');
  if (!tag) throw appError('TAG_NOT_FOUND');
  return tag;
}

/** Deletes a tag and takes it off every customer, in one transaction. */
export async function deleteTag(scope: Scope, id: string): Promise<{ untagged: number }> {
  if (!(await deleteTagRow(scope, id))) throw appError('TAG_NOT_FOUND');
  return { untagged: await untagAllCustomers(scope, id) };
}

/** The distinct ids, when every one is a tag of this tenant; TAG_NOT_FOUND on `field` otherwise. */
export async function assertTagsExist(
  scope: Scope,
  ids: readonly string[],
  field: string,
): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  if ((await countTags(scope, unique)) !== unique.length) throw appError('TAG_NOT_FOUND', {}, field);
  return unique;
}
