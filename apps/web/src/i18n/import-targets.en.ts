import type { importTargetsZhCN } from './import-targets.zh-CN';

/** Import templates, the empty customer list, and what imports bring to the profile (opening balance, notes, anniversaries). */
export const importTargetsEn: typeof importTargetsZhCN = {
  importTargets: {
    template: {
      download: 'Download template',
      title: 'Download an import template',
      hint: 'Its headers are recognised as they are and its example rows import unchanged: fill in your data and upload it',
      headers: 'Header language',
      zh: '中文',
      en: 'English',
      csv: 'CSV file',
      xlsx: 'Excel file (.xlsx)',
    },
    emptyList: {
      title: 'No customers yet',
      description:
        'Import the customers you already have from Excel or another CRM’s export, or add them one by one',
      import: 'Import customers',
    },
    opening: {
      title: 'Opening balance (imported)',
      asOf: 'As of {{date}}',
      amount12m: 'Revenue, last 12 months',
      amountLifetime: 'Lifetime revenue',
      orderCount: 'Orders',
      lastDealOn: 'Last deal',
      explain:
        'Historical figures imported from another system. The figures above are this opening balance plus the completed orders placed after {{date}}; its 12-month revenue is taken as spread evenly over the year and leaves the 12-month window day by day.',
    },
    fields: {
      firstCooperationOn: 'First cooperation date',
      anniversaryOn: 'Anniversary',
      firstCooperationHint:
        'When the relationship began; counts as the first deal when earlier than the first order',
      firstCooperationFuture: 'The first cooperation date cannot be later than today',
    },
    export: {
      include: 'Also export first cooperation date, anniversary and imported opening figures',
      hint: 'The file can be imported again as it is without losing them',
    },
    merge: {
      hint: 'The first cooperation date becomes the earlier of the two; the imported opening figures become one, as of the later date, with the orders in between counted once.',
    },
    note: {
      title: 'Note',
      imported: 'Imported',
    },
  },
};
