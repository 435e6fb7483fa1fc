/**
 * zh-CN strings of sensitive fields (national ID, bank card, sensitive custom fields),
 * spread into zh-CN.ts; sensitive.en.ts must have the same keys.
 */
export const sensitiveZhCN = {
  sensitive: {
    nationalId: '身份证号',
    bankCard: '银行卡号',
    reveal: '查看',
    hide: '隐藏',
    revealTitle: '查看明文会记入审计日志',
    revealFailed: '无法查看明文：{{message}}',
    maskedHint: '已脱敏，仅显示后 4 位',
    badge: '敏感',
    form: {
      section: '敏感信息',
      nationalIdPlaceholder: '18 位身份证号，末位可为 X',
      bankCardPlaceholder: '13–19 位银行卡号',
      keepPlaceholder: '已填写 {{masked}}，留空则不修改',
      clear: '清除已填写的值',
      encryptedNote:
        '敏感信息加密保存，各处仅显示后 4 位，有权限的角色可点击“查看”查看明文，每次查看都会记入审计日志。',
      invalidNationalId: '身份证号不正确：请填写 18 位号码（末位可为 X）并核对校验码，或 15 位旧号码',
      invalidBankCard: '银行卡号不正确：请填写 13–19 位数字并核对校验位',
    },
    lookup: {
      title: '按证件号精确查找',
      hint: '输入的是完整的身份证号或银行卡号时，按号码精确匹配（空格、全角均可）。号码不会出现在网址中。',
      none: '没有找到使用此号码的客户',
    },
    settings: {
      sensitive: '敏感字段',
      sensitiveHelp:
        '加密保存，列表、档案和导出中脱敏显示（仅后 4 位），查看明文需要权限并记入审计日志。仅文本字段可设置，字段已有数据后不能更改。',
      column: '敏感',
    },
  },
};
