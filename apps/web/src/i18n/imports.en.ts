import type { importsZhCN } from './imports.zh-CN';

/** English strings of the import wizard; the same keys as imports.zh-CN.ts. */
export const importsEn: typeof importsZhCN = {
  imports: {
    open: 'Import',
    title: 'Import data',
    subtitle:
      'Import customers, orders or interactions from an Excel (.xlsx) or CSV file: a dry run checks every row first, then import once nothing is wrong',
    backToList: 'Back to customers',
    entity: {
      label: 'What to import',
      customers: 'Customers (with a primary contact)',
      orders: 'Orders',
      interactions: 'Interactions',
    },
    steps: { upload: 'Upload', map: 'Map columns', check: 'Dry run', commit: 'Import' },
    upload: {
      hint: 'Click or drag a file here',
      formats: '.xlsx or .csv (UTF-8 or GBK), any number of rows, up to 1 GB per file',
      uploading: 'Uploading and reading the file…',
      failed: 'Upload failed',
      fileInfo: '{{name}}, {{size}}, {{format}}',
    },
    map: {
      header: 'Column in the file',
      samples: 'Sample values',
      target: 'Import as',
      skip: 'Do not import',
      required: 'required',
      savedMappings: 'Use a saved mapping',
      saveAs: 'Save mapping as…',
      saveTitle: 'Save column mapping',
      saveName: 'Mapping name',
      saved: 'Saved the mapping "{{name}}"',
      deleteMapping: 'Delete mapping',
      onMatch: 'When a row matches an existing customer',
      onMatchHelp:
        'Existing customers are found by customer number, credit code, phone, email or company name',
      onMatchOrders: 'When the order number exists',
      update: 'Update the existing record',
      skipExisting: 'Skip the row',
      dryRun: 'Dry run',
      missingRequired: 'Choose a column for: {{fields}}',
      needCustomerReference:
        'Map at least one column that names the customer (customer number, credit code, customer phone or customer name)',
    },
    check: {
      running: 'Checking row {{rows}}…',
      summary: '{{total}} rows: {{valid}} can be imported, {{errorRows}} have errors',
      plan: 'Importing will create {{created}}, update {{updated}} and skip {{skipped}}',
      noErrors: 'No errors found; you can import now',
      hasErrors:
        '{{errorRows}} rows have errors; every one must be fixed before importing. Download the report, fix the file and upload it again',
      download: 'Download error report',
      reupload: 'Upload a new file',
      backToMap: 'Change the mapping',
      commit: 'Import',
    },
    errors: { row: 'Row', column: 'Column', value: 'Value', reason: 'Reason', wholeRow: 'Whole row' },
    commit: {
      running: 'Importing, {{rows}} rows processed…',
      cancel: 'Cancel import',
      cancelConfirm: 'Cancelling undoes everything this import wrote. Cancel it?',
      cancelling: 'Cancelling…',
      done: 'Import complete',
      result: '{{created}} created, {{updated}} updated, {{skipped}} skipped',
      failed: 'The import failed; nothing was imported',
      cancelled: 'The import was cancelled; nothing was imported',
      alreadyImported: 'This file was imported before; nothing was imported twice',
      viewCustomers: 'View customers',
      another: 'Import another file',
    },
    status: {
      created: 'Queued',
      validating: 'Checking',
      validated: 'Checked',
      committing: 'Importing',
      committed: 'Imported',
      failed: 'Failed',
      cancelled: 'Cancelled',
    },
  },
};
