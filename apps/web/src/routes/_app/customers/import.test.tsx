import { File as NodeFile } from 'node:buffer';
import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { UploadedFile } from '../../../features/imports/upload';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { chooseOption } from '../../../test/antd';
import { ownerShell } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { server } from '../../../test/server';
import { answerTrpc, callsOf } from '../../../test/trpc-msw';
import { Route as importRoute } from './import';

type Run = RouterOutputs['imports']['get'];

const FILE_ID = 'c05a6b7c-8d9e-4f0a-8b1c-2d3e4f5a6b7c';
const DRY_RUN_ID = 'd16b7c8d-9e0f-4a1b-9c2d-3e4f5a6b7c8d';
const COMMIT_ID = 'e27c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e';

const CSV = [
  '公司名称,手机,邮箱,备注',
  '杭州湖畔咖啡有限公司,0571-8888 1234,purchase@hupan-coffee.cn,老客户',
  '张晓梅,1381234,zhang@example.cn,',
  '宁波海曙五金店,0574-8765 4321,,展会',
  '张晓梅,138 1234 5678,zhang@example.cn,重复',
].join('\n');

/** Part of the server's customer targets (packages/api/src/imports/targets.ts) in both languages. */
const TARGETS = [
  { key: 'name', zh: '客户名称', en: 'Name', required: true },
  { key: 'kind', zh: '客户类型', en: 'Kind', required: false },
  { key: 'phone', zh: '电话', en: 'Phone', required: false },
  { key: 'email', zh: '邮箱', en: 'Email', required: false },
  { key: 'industry', zh: '行业', en: 'Industry', required: false },
];

/** What POST /api/imports/files answers for CSV: its columns, a preview, suggested mappings. */
function uploaded(locale: string, suggested: Record<string, string>): UploadedFile {
  const rows = CSV.split('\n').map((line) => line.split(','));
  const targets = TARGETS.map((target) => ({
    key: target.key,
    label: locale === 'en' ? target.en : target.zh,
    required: target.required,
  }));
  return {
    fileId: FILE_ID,
    name: '客户名单.csv',
    size: new TextEncoder().encode(CSV).length,
    format: 'csv',
    encoding: 'utf-8',
    headers: rows[0] ?? [],
    rowCount: rows.length - 1,
    preview: rows.slice(1).map((cells, index) => ({ rowNumber: index + 2, cells })),
    suggestions: { customers: suggested, orders: {}, interactions: {}, leads: {} },
    targets: { customers: targets, orders: [], interactions: [], leads: [] },
    mappings: [],
  };
}

const SUGGESTED = { 公司名称: 'name', 手机: 'phone', 邮箱: 'email' };

/** The REST upload route; records what the browser sent. */
function answerUpload(suggested: Record<string, string> = SUGGESTED) {
  const received: { name: string | null; type: string | null; locale: string | null; body: string }[] = [];
  server.use(
    http.post('/api/imports/files', async ({ request }) => {
      received.push({
        name: request.headers.get('x-file-name'),
        type: request.headers.get('content-type'),
        locale: request.headers.get('x-locale'),
        body: await request.text(),
      });
      return HttpResponse.json(uploaded(request.headers.get('x-locale') ?? 'zh-CN', suggested));
    }),
  );
  return received;
}

function run(fields: Partial<Run> & Pick<Run, 'id' | 'dryRun' | 'status'>): Run {
  return {
    entity: 'customers',
    fileName: '客户名单.csv',
    fileSize: CSV.length,
    onMatch: 'skip',
    failure: null,
    failureMessage: null,
    rowsRead: 4,
    bytesRead: CSV.length,
    totalRows: 4,
    validRows: 4,
    errorRows: 0,
    errorCount: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    skipErrorRows: false,
    outcomes: { new: 0, update: 0, skip: 0, error: 0, candidate: 0 },
    cancelRequested: false,
    createdAt: '2026-03-02T02:00:00.000Z',
    startedAt: '2026-03-02T02:00:01.000Z',
    finishedAt: '2026-03-02T02:00:03.000Z',
    errors: [],
    errorsCursor: null,
    ...fields,
  };
}

const dryRunWithErrors = run({
  id: DRY_RUN_ID,
  dryRun: true,
  onMatch: 'update',
  status: 'validated',
  validRows: 2,
  errorRows: 2,
  errorCount: 2,
  created: 1,
  updated: 1,
  outcomes: { new: 1, update: 1, skip: 0, error: 2, candidate: 0 },
  errors: [
    {
      rowNumber: 3,
      column: '手机',
      value: '1381234',
      reason: 'INVALID_PHONE',
      message: '电话号码格式不正确',
    },
    {
      rowNumber: 5,
      column: '',
      value: null,
      reason: 'DUPLICATE_IN_FILE',
      message: '与第 3 行是同一位客户',
    },
  ],
});

const EXISTING_ID = 'f38d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f';
type RowItem = RouterOutputs['imports']['rows']['items'][number];
const rowItem = (fields: Partial<RowItem> & Pick<RowItem, 'rowNumber' | 'outcome'>): RowItem => ({
  matchKind: null,
  matchValue: null,
  matchedId: null,
  customerId: null,
  customerName: null,
  matchedName: null,
  reason: null,
  message: null,
  errors: [],
  ...fields,
});
/** The dry run's rows: one new, one update of an existing customer by credit code, two errors. */
const DRY_RUN_ROWS: RowItem[] = [
  rowItem({ rowNumber: 2, outcome: 'new' }),
  rowItem({
    rowNumber: 3,
    outcome: 'error',
    reason: 'PHONE_INVALID',
    errors: [{ column: '手机', value: '1381234', message: '电话号码格式不正确' }],
  }),
  rowItem({
    rowNumber: 4,
    outcome: 'update',
    matchKind: 'credit_code',
    matchValue: '91110108MA01ABCD1E',
    matchedId: EXISTING_ID,
    customerId: EXISTING_ID,
    matchedName: '宁波海曙五金有限公司',
  }),
  rowItem({
    rowNumber: 5,
    outcome: 'error',
    reason: 'DUPLICATE_IN_FILE',
    errors: [{ column: '', value: null, message: '与第 3 行是同一位客户' }],
  }),
];

/** imports.rows answered from a list: filtered by outcome, one page. */
function answerRows(items: RowItem[]) {
  return ({ outcome }: { outcome?: RowItem['outcome'] | null }) => ({
    items: items.filter((item) => !outcome || item.outcome === outcome),
    nextCursor: null,
  });
}

function renderImport() {
  return renderRoute({
    url: '/customers/import',
    shell: ownerShell,
    app: [{ route: importRoute, path: '/customers/import' }],
  });
}

/**
 * The file the user picks. Node's File, not jsdom's: the page sends it as the body of a
 * fetch, and the fetch here is Node's, which reads only its own Blobs (a jsdom File goes out
 * as the text "undefined"). In a browser both are the browser's.
 */
function csvFile() {
  return new NodeFile([CSV], '客户名单.csv', { type: 'text/csv' }) as unknown as File;
}

/** The drop zone's file input (where antd puts the test id), once the page is there. */
async function uploadInput() {
  const input = await screen.findByTestId('import-upload');
  if (!(input instanceof HTMLInputElement) || input.type !== 'file') throw new Error('No file input');
  return input;
}

/** The mapping table's row of a column of the file. */
function mappingRow(header: string) {
  const cell = within(screen.getByTestId('import-mapping')).getByText(header, { selector: 'td' });
  return within(cell.closest('tr') as HTMLElement);
}

describe('import page', () => {
  it('uploads the file and shows the suggested mapping, then the dry run’s errors by row and column', async () => {
    const received = answerUpload();
    answerTrpc({
      'imports.start': () => ({ runId: DRY_RUN_ID, alreadyImported: false }),
      'imports.get': () => dryRunWithErrors,
      'imports.rows': answerRows(DRY_RUN_ROWS),
    });
    const { user } = renderImport();

    await user.upload(await uploadInput(), csvFile());

    // The file in words a user knows, not "CSV utf-8, 127 B".
    expect(await screen.findByTestId('import-file-info')).toHaveTextContent(
      '客户名单.csv · CSV 文件 · 文件编码 UTF-8 · 4 列 · 4 行',
    );
    expect(received).toEqual([
      {
        name: encodeURIComponent('客户名单.csv'),
        type: 'application/octet-stream',
        locale: 'zh-CN',
        body: CSV,
      },
    ]);
    // Each column of the file with its samples and the target the server suggested.
    expect(
      mappingRow('公司名称').getByText('杭州湖畔咖啡有限公司 · 张晓梅 · 宁波海曙五金店'),
    ).toBeInTheDocument();
    expect(mappingRow('公司名称').getByText('客户名称（必填）')).toBeInTheDocument();
    expect(mappingRow('手机').getByText('电话')).toBeInTheDocument();
    expect(mappingRow('邮箱').getByText('邮箱', { selector: '.ant-select *' })).toBeInTheDocument();
    expect(mappingRow('备注').getByText('不导入')).toBeInTheDocument();
    // Existing customers are skipped unless the user chooses to update them.
    expect(screen.getByRole('radio', { name: '跳过，不导入' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: '更新已有记录' }));

    await user.click(screen.getByTestId('import-dry-run'));

    expect(await screen.findByTestId('import-summary')).toHaveTextContent(
      '共 4 行：2 行可以导入，2 行有错误',
    );
    const [start] = callsOf('imports.start');
    expect(start?.input).toEqual({
      fileId: FILE_ID,
      entity: 'customers',
      mapping: SUGGESTED,
      mappingId: null,
      onMatch: 'update',
      dryRun: true,
    });
    expect(start?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(callsOf('imports.get')[0]?.input).toEqual({ runId: DRY_RUN_ID });

    expect(screen.getByTestId('import-has-errors')).toHaveTextContent(
      '有 2 行存在错误。可以先导入其余 2 行有效数据',
    );
    // Every row's outcome, the rows with errors first, each reason under its column.
    const table = within(await screen.findByTestId('import-rows-table'));
    const phone = within((await table.findByText('电话号码格式不正确')).closest('tr') as HTMLElement);
    expect(phone.getByText('3')).toBeInTheDocument();
    expect(phone.getByText('手机')).toBeInTheDocument();
    const duplicate = within(table.getByText('与第 3 行是同一位客户').closest('tr') as HTMLElement);
    expect(duplicate.getByText('5')).toBeInTheDocument();
    expect(duplicate.getByText('整行')).toBeInTheDocument();
    expect(callsOf('imports.rows')[0]?.input).toMatchObject({
      runId: DRY_RUN_ID,
      outcome: 'error',
      cursor: null,
    });
    // A labelled pager, not a bare "2 / 2".
    expect(screen.getByTestId('import-rows-page')).toHaveTextContent('第 1 页 · 每页 50 行 · 共 2 行');
    expect(screen.queryByText('2 / 2')).not.toBeInTheDocument();

    // Filtered by outcome: an update names the customer it updates and the key that matched.
    await user.click(screen.getByText('更新 1'));
    const update = within(
      (await within(screen.getByTestId('import-rows-table')).findByText('宁波海曙五金有限公司')).closest(
        'tr',
      ) as HTMLElement,
    );
    expect(update.getByText('宁波海曙五金有限公司').closest('a')).toHaveAttribute(
      'href',
      `/customers/${EXISTING_ID}`,
    );
    expect(update.getByText(/按统一社会信用代码匹配：91110108MA01ABCD1E/)).toBeInTheDocument();
    expect(callsOf('imports.rows').at(-1)?.input).toMatchObject({ outcome: 'update' });

    // The good rows need not wait for the bad ones; or fix the file first.
    expect(screen.getByTestId('import-commit-valid')).toHaveTextContent('导入 2 行有效数据，跳过 2 行错误');
    expect(screen.getByTestId('import-fix')).toHaveTextContent('修正后再导入');
    expect(screen.queryByTestId('import-commit')).not.toBeInTheDocument();
    expect(screen.getByTestId('import-download-report')).toHaveAttribute(
      'href',
      `/api/imports/runs/${DRY_RUN_ID}/errors.csv`,
    );
    expect(screen.getByTestId('import-download-xlsx')).toHaveAttribute(
      'href',
      `/api/imports/runs/${DRY_RUN_ID}/errors.xlsx`,
    );
    await user.click(screen.getByText('修改字段对应'));
    expect(await screen.findByTestId('import-mapping')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: '更新已有记录' })).toBeChecked();
  });

  it('imports the valid rows and skips the rows with errors, then shows what happened to each', async () => {
    answerUpload();
    const commitRows = DRY_RUN_ROWS.map((row) =>
      row.outcome === 'new' ? { ...row, customerId: EXISTING_ID, customerName: '杭州湖畔咖啡有限公司' } : row,
    );
    answerTrpc({
      'imports.start': ({ dryRun }) => ({ runId: dryRun ? DRY_RUN_ID : COMMIT_ID, alreadyImported: false }),
      'imports.get': ({ runId }) =>
        runId === DRY_RUN_ID
          ? dryRunWithErrors
          : run({
              ...dryRunWithErrors,
              id: COMMIT_ID,
              dryRun: false,
              status: 'committed',
              skipErrorRows: true,
            }),
      'imports.rows': ({ runId, ...input }) =>
        answerRows(runId === DRY_RUN_ID ? DRY_RUN_ROWS : commitRows)(input),
    });
    const { user } = renderImport();

    await user.upload(await uploadInput(), csvFile());
    await user.click(await screen.findByTestId('import-dry-run'));
    await user.click(await screen.findByTestId('import-commit-valid'));

    expect(await screen.findByText('导入完成')).toBeInTheDocument();
    expect(screen.getByTestId('import-result')).toHaveTextContent('新增 1 条，更新 1 条，跳过 0 条');
    expect(screen.getByTestId('import-result-errors')).toHaveTextContent('2 行有错误，未导入');
    const [, commit] = callsOf('imports.start');
    expect(commit?.input).toMatchObject({ dryRun: false, skipErrorRows: true, onMatch: 'skip' });
    // The rows left out are there to download, and every row's outcome is listed.
    expect(screen.getByTestId('import-download-xlsx')).toHaveAttribute(
      'href',
      `/api/imports/runs/${COMMIT_ID}/errors.xlsx`,
    );
    await user.click(screen.getByText('新建 1'));
    const created = await within(screen.getByTestId('import-rows-table')).findByText('杭州湖畔咖啡有限公司');
    expect(created.closest('a')).toHaveAttribute('href', `/customers/${EXISTING_ID}`);
  });

  it('names the file an upload failed for', async () => {
    server.use(
      http.post('/api/imports/files', () =>
        HttpResponse.json({ code: 'IMPORT_FILE_UNREADABLE', message: '文件是空的' }, { status: 400 }),
      ),
    );
    const { user } = renderImport();

    await user.upload(await uploadInput(), csvFile());

    const alert = await screen.findByTestId('import-upload-error');
    expect(alert).toHaveTextContent('“客户名单.csv”上传失败');
    expect(alert).toHaveTextContent('文件是空的');
  });

  it('asks for a column for every required field before the dry run', async () => {
    answerUpload({ 手机: 'phone' });
    const { user } = renderImport();

    await user.upload(await uploadInput(), csvFile());

    expect(await screen.findByText('请为以下字段选择一列：客户名称')).toBeInTheDocument();
    expect(screen.getByTestId('import-dry-run')).toBeDisabled();

    await chooseOption(user, screen.getByTestId('import-target-公司名称'), '客户名称（必填）');

    await waitFor(() => expect(screen.getByTestId('import-dry-run')).toBeEnabled());
    expect(screen.queryByText('请为以下字段选择一列：客户名称')).not.toBeInTheDocument();
    expect(callsOf('imports.start')).toHaveLength(0);
  });

  it('commits a clean dry run and shows what was imported, in English', async () => {
    await i18n.changeLanguage('en');
    answerUpload();
    answerTrpc({
      'imports.start': ({ dryRun }) => ({ runId: dryRun ? DRY_RUN_ID : COMMIT_ID, alreadyImported: false }),
      'imports.get': ({ runId }) =>
        runId === DRY_RUN_ID
          ? run({ id: DRY_RUN_ID, dryRun: true, status: 'validated', created: 3, skipped: 1 })
          : run({ id: COMMIT_ID, dryRun: false, status: 'committed', created: 3, skipped: 1 }),
      'imports.rows': answerRows([]),
    });
    const { user } = renderImport();

    await user.upload(await uploadInput(), csvFile());
    expect(await mappingRowAsync('公司名称')).toHaveTextContent('Name (required)');
    expect(screen.getByRole('radio', { name: 'Skip the row' })).toBeChecked();
    await user.click(screen.getByTestId('import-dry-run'));

    expect(await screen.findByTestId('import-summary')).toHaveTextContent(
      'Rows: 4 · ready to import: 4 · with errors: 0',
    );
    expect(screen.getByText('No errors found; you can import now')).toBeInTheDocument();
    expect(screen.getByText('Importing will create 3, update 0 and skip 1')).toBeInTheDocument();
    expect(screen.queryByTestId('import-download-report')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('import-commit'));

    expect(await screen.findByText('Import complete')).toBeInTheDocument();
    expect(screen.getByTestId('import-result')).toHaveTextContent('3 created, 0 updated, 1 skipped');
    const [dryRun, commit] = callsOf('imports.start');
    expect(dryRun?.input).toMatchObject({ dryRun: true, onMatch: 'skip' });
    expect(commit?.input).toMatchObject({
      fileId: FILE_ID,
      dryRun: false,
      onMatch: 'skip',
      mapping: SUGGESTED,
    });
    // A commit is its own request, with its own key.
    expect(commit?.headers.get('idempotency-key')).not.toBe(dryRun?.headers.get('idempotency-key'));
  });
});

async function mappingRowAsync(header: string) {
  const table = await screen.findByTestId('import-mapping');
  return within(table).getByText(header, { selector: 'td' }).closest('tr') as HTMLElement;
}
