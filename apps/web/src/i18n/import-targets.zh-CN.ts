/** 导入模板、空客户列表与导入带来的档案内容（期初数据、备注、纪念日）的文案；import-targets.en.ts 须有完全相同的键。 */
export const importTargetsZhCN = {
  importTargets: {
    template: {
      download: '下载模板',
      title: '下载导入模板',
      hint: '模板的表头可直接识别，示例行可原样导入；填入您的数据后上传即可',
      headers: '表头语言',
      zh: '中文',
      en: 'English',
      csv: 'CSV 文件',
      xlsx: 'Excel 文件（.xlsx）',
    },
    emptyList: {
      title: '还没有客户',
      description: '从 Excel 或其他 CRM 导出的表格导入已有客户，或者逐个新建',
      import: '导入客户',
    },
    opening: {
      title: '导入的期初数据',
      asOf: '截至 {{date}}',
      amount12m: '近 12 个月交易额',
      amountLifetime: '累计交易额',
      orderCount: '订单数',
      lastDealOn: '最近交易日期',
      explain:
        '从其他系统导入的历史交易数据。上方的交易数据 = 期初数据 + {{date}} 之后的已完成订单；期初的近 12 个月交易额按一年平均计算，随时间逐日移出统计窗口。',
    },
    fields: {
      firstCooperationOn: '首次合作时间',
      anniversaryOn: '纪念日',
      firstCooperationHint: '与客户开始合作的日期；早于首笔订单时，作为首次成交日期',
      firstCooperationFuture: '首次合作时间不能晚于今天',
    },
    export: {
      include: '同时导出首次合作时间、纪念日和导入的期初数据',
      hint: '导出的文件可以原样再次导入，这些数据不会丢失',
    },
    merge: {
      hint: '首次合作时间取两者中较早的日期；导入的期初数据合并为一份，截至两者中较晚的日期，期间的订单计入其中，不会重复或遗漏。',
    },
    note: {
      title: '备注',
      imported: '导入',
    },
  },
};
