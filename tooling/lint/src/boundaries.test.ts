import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The import-boundary lint (`pnpm lint:boundaries`, .dependency-cruiser.cjs) passes on the
 * tree and fails on planted violations of each kind of rule.
 */
const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const depcruise = join(root, 'node_modules/.bin/depcruise');

async function cruise(paths: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(depcruise, ['--config', '.dependency-cruiser.cjs', '-T', 'err', ...paths], {
      cwd: root,
    });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the import-boundary lint', () => {
  it('passes on the tree', async () => {
    const result = await cruise(['packages', 'apps', 'plugins']);
    expect(result.output).toContain('no dependency violations found');
    expect(result.ok).toBe(true);
  }, 120_000);

  it('fails on a planted violation of each rule', async () => {
    const planted = {
      'packages/domain/src/__planted__/io.ts': "import { sql } from 'kysely';\nexport const planted = sql;\n",
      'packages/api/src/__planted__/planted.service.ts':
        "import { router } from '../trpc';\nexport const planted = router;\n",
      'packages/api/src/__planted__/cycle-a.ts':
        "import { b } from './cycle-b';\nexport const a = () => b;\n",
      'packages/api/src/__planted__/cycle-b.ts':
        "import { a } from './cycle-a';\nexport const b = () => a;\n",
      'plugins/__planted__/src/index.ts':
        "import { sql } from '../../../packages/db/src/index';\nexport const planted = sql;\n",
    };
    try {
      for (const [path, text] of Object.entries(planted)) {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const result = await cruise(Object.keys(planted));
      expect(result.ok).toBe(false);
      for (const rule of [
        'domain-uses-zod-only',
        'data-layer-is-transport-free',
        'no-circular',
        'plugins-only-use-the-sdk',
      ])
        expect(result.output, rule).toContain(`error ${rule}`);
    } finally {
      for (const dir of [
        'packages/domain/src/__planted__',
        'packages/api/src/__planted__',
        'plugins/__planted__',
      ])
        rmSync(join(root, dir), { recursive: true, force: true });
    }
  }, 120_000);
});
