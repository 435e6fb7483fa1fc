import type { Locale } from './locale';

/**
 * The class of an error, as an HTTP-like status name: each edge maps it (tRPC by these very
 * names, REST by `httpStatusOf`, job failures and import reports by the code). Errors are
 * values here; nothing below the edges knows the transport.
 */
export type ErrorStatus =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNPROCESSABLE_CONTENT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<ErrorStatus, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/** Every error a user can see: its tRPC code and a message in each language. */
export const ERRORS = {
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', 'zh-CN': '请先登录', en: 'Please sign in first' },
  FORBIDDEN: {
    trpc: 'FORBIDDEN',
    'zh-CN': '你的角色没有此操作的权限',
    en: 'Your role does not allow this action',
  },
  NO_ACTIVE_TENANT: {
    trpc: 'FORBIDDEN',
    'zh-CN': '请先选择一个企业',
    en: 'Choose an organisation first',
  },
  NOT_A_MEMBER: {
    trpc: 'FORBIDDEN',
    'zh-CN': '你不是该企业的成员',
    en: 'You are not a member of this organisation',
  },
  INVALID_CREDENTIALS: {
    trpc: 'UNAUTHORIZED',
    'zh-CN': '邮箱或密码不正确',
    en: 'Incorrect email or password',
  },
  TOO_MANY_ATTEMPTS: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '尝试次数过多，请 {seconds} 秒后再试',
    en: 'Too many attempts. Try again in {seconds} s',
  },
  SIGN_UP_EMAIL_UNAVAILABLE: {
    trpc: 'CONFLICT',
    'zh-CN': '无法用此邮箱和密码注册。如已有账号，请输入该账号的密码，或登录后再创建企业',
    en: 'Cannot sign up with this email and password. If you already have an account, use its password, or sign in and create the organisation there',
  },
  PASSWORD_TOO_SHORT: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '密码至少需要 8 个字符',
    en: 'Use at least 8 characters for the password',
  },
  PASSWORD_TOO_LONG: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '密码最多 128 个字符',
    en: 'Use at most 128 characters for the password',
  },
  PASSWORD_TOO_COMMON: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '这个密码太常见，容易被猜中，请换一个',
    en: 'This password is too common and easy to guess. Choose another',
  },
  CURRENT_PASSWORD_WRONG: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '当前密码不正确',
    en: 'The current password is incorrect',
  },
  IDEMPOTENCY_KEY_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': 'Idempotency-Key 请求头无效：应为 1–255 个可见 ASCII 字符，建议使用 UUID',
    en: 'Invalid Idempotency-Key header: use 1–255 visible ASCII characters, preferably a UUID',
  },
  IDEMPOTENCY_KEY_REUSED: {
    trpc: 'UNPROCESSABLE_CONTENT',
    'zh-CN': '这个 Idempotency-Key 已用于另一个请求。每次新的操作请使用新的 Key',
    en: 'This Idempotency-Key was already used for a different request. Use a new key for each new operation',
  },
  CUSTOMER_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '客户不存在或已被删除', en: 'Customer not found' },
  CUSTOMER_ARCHIVED: {
    trpc: 'CONFLICT',
    'zh-CN': '客户已归档，请先恢复再修改',
    en: 'This customer is archived. Restore it before editing',
  },
  CUSTOMER_NUMBER_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '该客户编号已被其他客户使用',
    en: 'Another customer already has this customer number',
  },
  CUSTOMER_EXTERNAL_ID_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '该外部编号已被其他客户使用',
    en: 'Another customer already has this external id',
  },
  CUSTOMER_EXTERNAL_ID_MISMATCH: {
    trpc: 'CONFLICT',
    'zh-CN': '按识别规则找到的已有客户已登记了另一个外部编号「{externalId}」，无法确定要更新哪一个',
    en: 'The existing customer the identity rules found already has another external id (“{externalId}”), so it cannot tell which to update',
  },
  CUSTOMER_EXACT_DUPLICATE: {
    trpc: 'CONFLICT',
    'zh-CN': '已有同一客户「{name}」（{byZh}相同）。请打开已有客户；如确需新建，请选择“仍然新建”并填写原因',
    en: 'This customer already exists: “{name}” (same {byEn}). Open it, or choose “Create anyway” and give a reason',
  },
  CUSTOMER_EXACT_DUPLICATE_HIDDEN: {
    trpc: 'CONFLICT',
    'zh-CN': '已有同一客户（{byZh}相同），由其他同事负责。如确需新建，请选择“仍然新建”并填写原因',
    en: 'This customer already exists (same {byEn}) and is looked after by a colleague. To create it anyway, choose “Create anyway” and give a reason',
  },
  INVALID_CREDIT_CODE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '统一社会信用代码不正确：应为 18 位数字或大写字母，且校验位正确',
    en: 'Enter a valid unified social credit code: 18 digits or capital letters with a correct check character',
  },
  CUSTOMER_MERGED: {
    trpc: 'CONFLICT',
    'zh-CN': '该客户已合并到其他客户，请在保留的客户上操作',
    en: 'This customer has been merged into another one; work on the surviving customer',
  },
  MERGE_SAME_CUSTOMER: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '不能把客户与自己合并',
    en: 'A customer cannot be merged with itself',
  },
  MERGE_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '合并记录不存在', en: 'Merge not found' },
  MERGE_ALREADY_UNDONE: {
    trpc: 'CONFLICT',
    'zh-CN': '这次合并已经撤销过了',
    en: 'This merge has already been undone',
  },
  MERGE_UNDO_EXPIRED: {
    trpc: 'CONFLICT',
    'zh-CN': '合并已超过 {days} 天，不能再撤销',
    en: 'This merge is more than {days} days old and can no longer be undone',
  },
  MERGE_UNDO_BLOCKED: {
    trpc: 'CONFLICT',
    'zh-CN': '保留的客户之后又参与了合并，请先撤销之后的那次合并',
    en: 'The surviving customer has been part of a later merge; undo that merge first',
  },
  DUPLICATE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '该重复记录不存在或已处理',
    en: 'This duplicate pair does not exist or has already been handled',
  },
  FIRST_COOPERATION_FUTURE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '首次合作时间不能晚于今天',
    en: 'The first cooperation date cannot be later than today',
  },
  MONEY_FORMAT: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请填写金额，最多两位小数，如 12800 或 12800.50',
    en: 'Enter an amount with at most two decimals, e.g. 12800 or 12800.50',
  },
  QUANTITY_FORMAT: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '数量须大于 0，最多三位小数',
    en: 'The quantity must be above 0, with at most three decimals',
  },
  CONTACT_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '联系人不存在', en: 'Contact not found' },
  ORDER_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '订单不存在', en: 'Order not found' },
  ORDER_NUMBER_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '该订单号已存在',
    en: 'This order number is already in use',
  },
  ORDER_AMOUNT_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请填写订单金额，或添加商品明细',
    en: 'Enter the order amount, or add line items',
  },
  ORDER_VOID: {
    trpc: 'CONFLICT',
    'zh-CN': '订单已作废，不能再修改',
    en: 'This order is void and can no longer change',
  },
  OWNER_NOT_MEMBER: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '负责人必须是本企业的成员',
    en: 'The owner must be a member of this organisation',
  },
  INVALID_PHONE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '电话号码格式不正确，请填写手机号（如 138 1234 5678）或座机（如 010-12345678）',
    en: 'Enter a valid phone number: a mobile (e.g. 138 1234 5678) or a landline (e.g. 010-12345678)',
  },
  INVALID_CURSOR: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '分页位置已失效，请刷新列表',
    en: 'The page position is no longer valid. Refresh the list',
  },
  TAGS_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请选择要添加或移除的标签',
    en: 'Choose tags to add or remove',
  },
  CALENDAR_OVERRIDE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '{day} 没有公司自定的假日或工作日',
    en: 'No company day off or working day on {day}',
  },
  EMAIL_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '邮件不存在，或不是发送失败的邮件',
    en: 'Email not found, or it has not failed',
  },
  TAG_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '标签不存在或已被删除', en: 'Tag not found' },
  PLAN_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '维护计划不存在，或你无权查看该客户',
    en: 'Maintenance plan not found, or you cannot see its customer',
  },
  PLAN_STATUS_CHANGED: {
    trpc: 'CONFLICT',
    'zh-CN': '该维护计划已被他人处理，请刷新后查看',
    en: 'Someone has already handled this maintenance plan. Reload to see it',
  },
  CAMPAIGN_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '营销活动不存在', en: 'Campaign not found' },
  CAMPAIGN_NAME_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '已有同名营销活动',
    en: 'A campaign with this name already exists',
  },
  CAMPAIGN_ALREADY_SENT: {
    trpc: 'CONFLICT',
    'zh-CN': '该营销活动已发送，不能再修改或重复发送',
    en: 'This campaign has been sent; it cannot be changed or sent again',
  },
  CAMPAIGN_AUDIENCE_EMPTY: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '目标线索为空：没有符合条件且有邮箱的未转化线索',
    en: 'The audience is empty: no open lead with an email matches it',
  },
  CAMPAIGN_AUDIENCE_TOO_LARGE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '目标线索超过 {max} 条，请缩小筛选范围后分批发送',
    en: 'The audience has more than {max} leads; narrow it and send in parts',
  },
  LEAD_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '线索不存在或你无权查看', en: 'Lead not found' },
  LEAD_FORM_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '线索表单不存在', en: 'Lead form not found' },
  LEAD_FORM_NAME_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '已有同名线索表单',
    en: 'A lead form with this name already exists',
  },
  LEAD_NAME_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请填写联系人姓名或公司名称',
    en: 'Enter the person’s name or the company name',
  },
  LEAD_DUPLICATE: {
    trpc: 'CONFLICT',
    'zh-CN': '已有相同电话或邮箱的{kind}「{name}」；确认不是同一个人后可仍然创建',
    en: 'A {kind} with the same phone or email already exists: {name}. Create it anyway if they differ',
  },
  LEAD_CONVERTED: {
    trpc: 'CONFLICT',
    'zh-CN': '该线索已转化，不能再修改',
    en: 'This lead has been converted and can no longer change',
  },
  LEAD_STATUS_INVALID: {
    trpc: 'CONFLICT',
    'zh-CN': '线索状态不能从「{from}」改为「{to}」',
    en: 'A lead cannot move from {from} to {to}',
  },
  LEAD_OWNER_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '负责人须为本企业成员',
    en: 'The owner must be a member of this organisation',
  },
  LEAD_TEAM_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '团队不存在', en: 'Team not found' },
  LEAD_CONTACT_IN_FUTURE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '跟进时间不能晚于现在',
    en: 'A contact cannot be logged in the future',
  },
  TAG_NAME_TAKEN: { trpc: 'CONFLICT', 'zh-CN': '已有同名标签', en: 'A tag with this name already exists' },
  TASK_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '任务不存在或你无权查看', en: 'Task not found' },
  TASK_CLOSED: {
    trpc: 'CONFLICT',
    'zh-CN': '该任务已完成、取消或跳过，不能再修改',
    en: 'This task is already done, cancelled or skipped',
  },
  TASK_ALREADY_OPEN: { trpc: 'CONFLICT', 'zh-CN': '该任务尚未关闭', en: 'This task is still open' },
  TASK_OWNER_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '只能把任务分配给你可管理的成员',
    en: 'Tasks can only be assigned to members you manage',
  },
  TASK_HAS_NO_CUSTOMER: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '该任务没有关联客户，无法记录跟进',
    en: 'This task has no customer to log the interaction on',
  },
  TASK_RESCHEDULE_HOW: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请指定新的截止日期或顺延天数（二选一）',
    en: 'Give either a new due date or a number of days to shift',
  },
  TASK_CALENDAR_RANGE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '日历的结束日期须在开始日期之后，且最多跨 {{days}} 天',
    en: 'The calendar must end after it starts and span at most {{days}} days',
  },
  INTERACTION_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '互动记录不存在或你无权查看',
    en: 'Interaction not found',
  },
  OPPORTUNITY_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '商机不存在或你无权查看',
    en: 'Opportunity not found',
  },
  OPPORTUNITY_STAGE_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '阶段「{stage}」不在本租户的商机阶段中',
    en: 'The stage “{stage}” is not a stage of this pipeline',
  },
  OPPORTUNITY_MOVE_INVALID: {
    trpc: 'CONFLICT',
    'zh-CN': '商机当前在「{fromZh}」，不能移到「{toZh}」',
    en: 'The opportunity is in “{fromEn}” and cannot move to “{toEn}”',
  },
  OPPORTUNITY_GATE_FAILED: {
    trpc: 'CONFLICT',
    'zh-CN': '还不能离开「{stageZh}」：需要{missingZh}',
    en: 'It cannot leave “{stageEn}” yet: it needs {missingEn}',
  },
  OPPORTUNITY_LOST_REASON_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '输单须选择原因',
    en: 'Choose why the deal was lost',
  },
  OPPORTUNITY_LOST_REASON_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '输单原因「{reason}」不在本租户的原因列表中',
    en: 'The lost reason “{reason}” is not in this workspace’s list',
  },
  OPPORTUNITY_CLOSED: {
    trpc: 'CONFLICT',
    'zh-CN': '商机已赢单或输单，不能再修改',
    en: 'The opportunity is won or lost and can no longer be changed',
  },
  OPPORTUNITY_ACTION_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '「{action}」不是当前阶段的标准动作',
    en: '“{action}” is not a standard action of the current stage',
  },
  OPPORTUNITY_OWNER_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '只能把商机分配给你团队中的成员',
    en: 'Opportunities can only be given to members within your reach',
  },
  OPPORTUNITY_LOST_REASON_LABELS_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '新的输单原因须有中文和英文名称',
    en: 'A new lost reason needs a Chinese and an English name',
  },
  ASSIGNMENT_RULE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '分配规则不存在或已被删除',
    en: 'Assignment rule not found',
  },
  ASSIGNMENT_MEMBER_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '所选成员不在本租户中',
    en: 'The chosen member is not a member of this workspace',
  },
  ASSIGNMENT_NO_RECORDS: {
    trpc: 'NOT_FOUND',
    'zh-CN': '没有可分配的记录：它们不存在、你无权查看，或已有负责人',
    en: 'Nothing to assign: the records do not exist, you cannot see them, or they already have an owner',
  },
  POOL_ALREADY_CLAIMED: {
    trpc: 'CONFLICT',
    'zh-CN': '手慢了：{count} 条已被别人领取或已不在公海中',
    en: 'Too late: {count} of them were claimed by someone else or are no longer in the pool',
  },
  POOL_CLAIM_LIMIT: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '今日领取已达上限（每天 {limit} 条，今天还可领取 {remaining} 条）',
    en: 'Daily claim limit reached ({limit} a day; {remaining} left today)',
  },
  POOL_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '公海中没有这条记录',
    en: 'Not in the pool',
  },
  POOL_RELEASE_NOT_ALLOWED: {
    trpc: 'NOT_FOUND',
    'zh-CN': '只能释放你自己负责的线索或客户（主管可释放本团队的）',
    en: 'You can release only leads and customers you own (managers: your team’s)',
  },
  POOL_ASSIGNEE_OUTSIDE_TEAM: {
    trpc: 'FORBIDDEN',
    'zh-CN': '只能分配给你团队的成员',
    en: 'You can assign only to members of your team',
  },
  TICKET_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '工单不存在或你无权查看', en: 'Ticket not found' },
  SURVEY_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '问卷不存在或已归档', en: 'Survey not found' },
  SURVEY_FORM_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '问卷有误：{problem}',
    en: 'The survey has a problem: {problem}',
  },
  SURVEY_QUESTION_DUPLICATE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '题目键「{key}」重复',
    en: 'The question key “{key}” is used twice',
  },
  SURVEY_INVITATION_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '问卷邀请不存在或你无权查看',
    en: 'Survey invitation not found',
  },
  SURVEY_ALREADY_ANSWERED: {
    trpc: 'CONFLICT',
    'zh-CN': '客户已填写过这份问卷',
    en: 'The customer has already answered',
  },
  SURVEY_INVITATION_EXPIRED: {
    trpc: 'CONFLICT',
    'zh-CN': '问卷链接已过期，请重新发送',
    en: 'The survey link has expired; send a new one',
  },
  SURVEY_PERIOD_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '开始日期须早于结束日期',
    en: 'The start must come before the end',
  },
  SURVEY_FOLLOW_UP_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '回访跟进不存在或你无权查看',
    en: 'Follow-up not found',
  },
  SURVEY_FOLLOW_UP_NOT_YOURS: {
    trpc: 'FORBIDDEN',
    'zh-CN': '这条跟进属于客户负责人，只有负责人或经理可以处理',
    en: 'This follow-up belongs to the customer’s owner; only they or a manager can work it',
  },
  SURVEY_FOLLOW_UP_STATE: {
    trpc: 'CONFLICT',
    'zh-CN': '跟进的状态已变化，请刷新后再试',
    en: 'The follow-up has moved on; refresh and try again',
  },
  SURVEY_CHECK_BACK_PAST: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '回访日期不能早于今天',
    en: 'The check-back day cannot be in the past',
  },
  TICKET_MOVE_INVALID: {
    trpc: 'CONFLICT',
    'zh-CN': '工单当前为「{from}」，不能改为「{to}」',
    en: 'The ticket is “{from}” and cannot move to “{to}”',
  },
  TICKET_CLOSED: {
    trpc: 'CONFLICT',
    'zh-CN': '工单已关闭，请先重新打开',
    en: 'The ticket is closed. Reopen it first',
  },
  TICKET_NOT_YOURS: {
    trpc: 'FORBIDDEN',
    'zh-CN': '该工单已分配给其他人，只有处理人或经理可以处理',
    en: 'This ticket is assigned to someone else; only they or a manager can work it',
  },
  TICKET_ASSIGNEE_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '只能把工单分配给你可管理的成员',
    en: 'Tickets can only be assigned to members you manage',
  },
  TICKET_CATEGORY_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '工单分类「{key}」不存在或已停用',
    en: 'The ticket category "{key}" does not exist or is hidden',
  },
  TICKET_CATEGORY_PLUGIN: {
    trpc: 'CONFLICT',
    'zh-CN': '行业插件的分类不能改名，只能停用',
    en: 'The industry profile’s categories cannot be renamed, only hidden',
  },
  TICKET_INTERACTION_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '该互动已转为工单',
    en: 'This interaction has already been made into a ticket',
  },
  TICKET_SLA_POLICY_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '已有相同层级和优先级的时效规则',
    en: 'A policy for this tier and priority already exists',
  },
  TICKET_SLA_POLICY_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '时效规则不存在',
    en: 'SLA policy not found',
  },
  TICKET_TIER_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '客户层级「{key}」不在当前行业配置中',
    en: 'The tier "{key}" is not in the industry profile',
  },
  TICKET_ATTACHMENT_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '附件不存在或你无权查看',
    en: 'Attachment not found',
  },
  TICKET_ATTACHMENT_TOO_LARGE: {
    trpc: 'PAYLOAD_TOO_LARGE',
    'zh-CN': '附件过大，最大 {megabytes} MB',
    en: 'The attachment is too large (at most {megabytes} MB)',
  },
  TICKET_ATTACHMENT_TYPE: {
    trpc: 'UNPROCESSABLE_CONTENT',
    'zh-CN': '不支持此类文件，请上传图片（PNG、JPEG、GIF、WebP）、PDF、Office 文档、压缩包或纯文本',
    en: 'This kind of file is not accepted: upload an image (PNG, JPEG, GIF, WebP), a PDF, an Office document, a ZIP or plain text',
  },
  TICKET_ATTACHMENT_EMPTY: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '附件是空文件',
    en: 'The attachment is empty',
  },
  REFERRAL_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '转介绍记录不存在或你无权查看',
    en: 'Referral not found',
  },
  REFERRAL_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '该客户（或线索）已登记过推荐人',
    en: 'This customer (or lead) already has a referrer',
  },
  REFERRAL_SELF: { trpc: 'BAD_REQUEST', 'zh-CN': '客户不能推荐自己', en: 'A customer cannot refer itself' },
  REFERRAL_NOT_NEW: {
    trpc: 'CONFLICT',
    'zh-CN': '被推荐的客户已有成交订单，不算新客户',
    en: 'The referred customer has already ordered, so is not a new customer',
  },
  REFERRAL_NOT_PENDING: {
    trpc: 'CONFLICT',
    'zh-CN': '只有待奖励的转介绍可以取消',
    en: 'Only a referral waiting for its reward can be cancelled',
  },
  REFERRAL_RULE_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '没有这条转介绍规则',
    en: 'There is no such referral rule',
  },
  POINTS_INSUFFICIENT: {
    trpc: 'CONFLICT',
    'zh-CN': '积分不足：当前余额 {balance}',
    en: 'Not enough points: the balance is {balance}',
  },
  CUSTOM_FIELD_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '自定义字段「{key}」不存在或已停用',
    en: 'Custom field "{key}" does not exist or is no longer in use',
  },
  CUSTOM_FIELD_DEFINITION_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '自定义字段不存在或已被删除',
    en: 'Custom field not found',
  },
  CUSTOM_FIELD_KEY_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '已有使用此字段标识的自定义字段',
    en: 'Another custom field already uses this key',
  },
  CUSTOM_FIELD_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '「{label}」为必填项',
    en: '"{labelEn}" is required',
  },
  CUSTOM_FIELD_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '{label}{expectedZh}',
    en: '{labelEn} {expectedEn}',
  },
  CUSTOM_FIELD_OUT_OF_BOUNDS: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '{label}{ruleZh}',
    en: '{labelEn} {ruleEn}',
  },
  CUSTOM_FIELD_BOUNDS_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '取值范围设置有误：{problemZh}',
    en: 'The bounds are not valid: {problemEn}',
  },
  CUSTOM_FIELD_SHADOWS_CORE: {
    trpc: 'CONFLICT',
    'zh-CN': '「{label}」已是系统字段，请直接使用系统字段，不要再建自定义字段',
    en: '"{labelEn}" is already a core field; use it instead of a custom field',
  },
  PRIMARY_CONTACT_COMPANY_ONLY: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '只有企业客户可以同时添加首要联系人',
    en: 'Only a company customer can be created with a primary contact',
  },
  COMPANY_PERSONAL_FIELDS: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '企业客户不能填写身份证号或银行卡号（个人字段）',
    en: 'A company customer cannot have a national ID or bank card number (fields of individuals)',
  },
  CUSTOM_FIELD_OPTIONS_REQUIRED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '单选和多选字段至少需要一个选项，且选项值不能重复',
    en: 'Choice fields need at least one option, with no value repeated',
  },
  CUSTOM_FIELD_KEY_FORMAT: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '字段标识须以小写字母开头，只含小写字母、数字和下划线，最多 40 个字符',
    en: 'The key must start with a lowercase letter and use only lowercase letters, digits and underscores (at most 40)',
  },
  CUSTOM_FIELD_OPTION_IN_USE: {
    trpc: 'CONFLICT',
    'zh-CN': '选项「{value}」已有客户在用，不能删除',
    en: 'Option "{value}" is in use by customers and cannot be removed',
  },
  CUSTOM_FIELD_TYPE_LOCKED: {
    trpc: 'CONFLICT',
    'zh-CN': '字段已有数据，不能更改类型；可停用后新建字段',
    en: 'This field already holds values, so its type cannot change. Retire it and add a new field',
  },
  INVALID_NATIONAL_ID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '身份证号不正确：{reasonZh}',
    en: 'Invalid national ID number: {reasonEn}',
  },
  INVALID_BANK_CARD: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '银行卡号不正确：{reasonZh}',
    en: 'Invalid bank card number: {reasonEn}',
  },
  SENSITIVE_VALUE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '该客户没有填写此敏感字段',
    en: 'This customer has no value for this sensitive field',
  },
  CUSTOM_FIELD_SENSITIVE_TEXT_ONLY: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '只有文本字段可以设为敏感字段',
    en: 'Only text fields can be marked sensitive',
  },
  CUSTOM_FIELD_SENSITIVE_LOCKED: {
    trpc: 'CONFLICT',
    'zh-CN': '字段已有数据，不能更改“敏感字段”设置；可停用后新建字段',
    en: 'This field already holds values, so whether it is sensitive cannot change. Retire it and add a new field',
  },
  CUSTOM_FILTER_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '「{label}」不支持这种筛选方式或筛选值',
    en: '"{labelEn}" cannot be filtered this way or with this value',
  },
  VIEW_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '视图不存在或已被删除', en: 'View not found' },
  VIEW_NAME_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '你已有同名视图',
    en: 'You already have a view with this name',
  },
  COMPLETENESS_KEY_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '资料完整度的关键字段「{key}」不存在',
    en: 'The key field "{key}" for completeness does not exist',
  },
  COMPLETENESS_WEIGHTS_EMPTY: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请至少给一个关键字段设置大于 0 的权重',
    en: 'Give at least one key field a weight above 0',
  },
  THRESHOLD_ORDER: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '高档的门槛必须大于中档的门槛',
    en: 'The high threshold must be above the middle one',
  },
  MEMBER_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '成员不存在', en: 'Member not found' },
  TEAM_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '团队不存在', en: 'Team not found' },
  TEAM_NAME_TAKEN: { trpc: 'CONFLICT', 'zh-CN': '已有同名团队', en: 'A team with this name already exists' },
  SESSION_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '该登录设备不存在或已退出',
    en: 'This session does not exist or has already signed out',
  },
  CANNOT_CHANGE_OWNER: {
    trpc: 'FORBIDDEN',
    'zh-CN': '不能修改或移除企业所有者',
    en: 'The owner cannot be changed or removed',
  },
  CANNOT_CHANGE_SELF: {
    trpc: 'FORBIDDEN',
    'zh-CN': '不能修改或移除你自己',
    en: 'You cannot change or remove yourself',
  },
  EXPORT_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '导出记录不存在或已过期',
    en: 'Export not found or expired',
  },
  EXPORT_NOT_READY: {
    trpc: 'CONFLICT',
    'zh-CN': '文件还没有生成好，请稍后再下载',
    en: 'The file is not ready yet; download it once the export is done',
  },
  EXPORT_FAILED: {
    trpc: 'INTERNAL_SERVER_ERROR',
    'zh-CN': '导出失败，请重新导出',
    en: 'The export failed; please export again',
  },
  EXPORT_TOO_MANY_RUNNING: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '你已有 {count} 个导出正在进行，请等它们完成后再导出',
    en: 'You already have {count} exports in progress; wait for them to finish',
  },
  EXPORT_TENANT_TOO_MANY_RUNNING: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '本企业已有 {count} 个导出在排队或进行中，请等其中一个完成后再导出',
    en: 'Your organisation already has {count} exports queued or in progress; try again when one has finished',
  },
  IMPORT_TENANT_TOO_MANY_RUNNING: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '本企业已有 {count} 个导入在排队或进行中，请等其中一个完成后再导入',
    en: 'Your organisation already has {count} imports queued or in progress; try again when one has finished',
  },
  ROLE_NOT_ASSIGNABLE: {
    trpc: 'FORBIDDEN',
    'zh-CN': '你不能分配这个角色',
    en: 'You cannot assign this role',
  },
  INVITATION_INVALID: {
    trpc: 'NOT_FOUND',
    'zh-CN': '邀请链接无效、已过期或已被使用',
    en: 'This invitation link is invalid, expired or already used',
  },
  INVITATION_EMAIL_MISMATCH: {
    trpc: 'FORBIDDEN',
    'zh-CN': '此邀请发给了另一个邮箱，请用受邀邮箱登录',
    en: 'This invitation was sent to another email address. Sign in with that address',
  },
  ALREADY_MEMBER: {
    trpc: 'CONFLICT',
    'zh-CN': '你已经是该企业的成员',
    en: 'You are already a member of this organisation',
  },
  IMPORT_FILE_TOO_LARGE: {
    trpc: 'PAYLOAD_TOO_LARGE',
    'zh-CN': '文件过大，最大 {maxMb} MB',
    en: 'The file is too large (at most {maxMb} MB)',
  },
  IMPORT_FILE_EMPTY: { trpc: 'BAD_REQUEST', 'zh-CN': '文件是空的', en: 'The file is empty' },
  IMPORT_FILE_UNREADABLE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '无法读取文件：{reason}',
    en: 'The file cannot be read. {reason}',
  },
  IMPORT_FILE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到上传的文件（文件保留 7 天），请重新上传',
    en: 'The uploaded file is gone (files are kept for 7 days). Upload it again',
  },
  IMPORT_RUN_NOT_FOUND: { trpc: 'NOT_FOUND', 'zh-CN': '找不到这次导入', en: 'Import not found' },
  IMPORT_RUN_FINISHED: {
    trpc: 'CONFLICT',
    'zh-CN': '这次导入已经结束，无法取消',
    en: 'This import has already finished and cannot be cancelled',
  },
  IMPORT_MAPPING_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到这个字段对应方案',
    en: 'Column mapping not found',
  },
  IMPORT_MAPPING_NAME_TAKEN: {
    trpc: 'CONFLICT',
    'zh-CN': '已有同名的字段对应方案',
    en: 'A column mapping with this name already exists',
  },
  IMPORT_MAPPING_UNKNOWN_FIELD: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '“{header}”对应的字段不存在：{target}',
    en: 'Column "{header}" is mapped to an unknown field: {target}',
  },
  IMPORT_MAPPING_FIELD_TWICE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '“{target}”只能对应一列',
    en: '"{target}" can be mapped from one column only',
  },
  IMPORT_MAPPING_REQUIRED_MISSING: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '必须为“{label}”选择一列',
    en: 'Choose a column for "{labelEn}"',
  },
  INDUSTRY_PROFILE_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '没有名为「{profile}」的行业配置，请从列表中选择一个',
    en: 'There is no industry profile "{profile}". Choose one from the list',
  },
  REMINDER_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '没有名为「{key}」的提醒',
    en: 'There is no reminder "{key}"',
  },
  INDUSTRY_PROFILE_UNAVAILABLE: {
    trpc: 'PRECONDITION_FAILED',
    'zh-CN':
      '本企业使用的行业配置「{profile}」暂不可用（该行业插件未通过启动检查），客户分层和行业设置暂时无法使用，其他功能不受影响。请联系系统管理员',
    en: 'The industry profile "{profile}" this organisation uses is unavailable (its plugin failed the start-up checks). Tiering and industry settings cannot be used for now; everything else works. Contact your system administrator',
  },
  INDUSTRY_SETTINGS_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '行业配置有误，请按提示修改后再试',
    en: 'Some industry settings need attention',
  },
  INDUSTRY_SETTINGS_STALE: {
    trpc: 'CONFLICT',
    'zh-CN': '行业配置刚被他人修改过（现为第 {version} 版），请刷新页面查看后再保存',
    en: 'Someone else has just changed the industry settings (now version {version}). Reload the page to see them, then save again',
  },
  TIER_THRESHOLDS_OVERLAP: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '分层阈值有重叠或顺序不对：{detail}',
    en: 'Tier thresholds overlap or are out of order: {detailEn}',
  },
  TIER_WEIGHTS_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '权重设置不符合分层模型的要求：{detail}',
    en: 'The weights do not meet the tier model’s rules: {detailEn}',
  },
  TIER_BANDS_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '分段设置有误：{detail}',
    en: 'A band setting is wrong: {detailEn}',
  },
  TIER_SETTING_MISSING: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '缺少分层模型需要的设置项：{detail}',
    en: 'A setting the tier model needs is missing: {detailEn}',
  },
  TIER_MODEL_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '分层模型无效：{detail}',
    en: 'The tier model is invalid: {detailEn}',
  },
  TIER_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '引用了不存在的客户层级：{detail}',
    en: 'A tier that does not exist is referenced: {detailEn}',
  },
  TIER_DUPLICATE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '客户层级重复：{detail}',
    en: 'A tier is declared twice: {detailEn}',
  },
  TIER_METRIC_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '分层指标无效：{detail}',
    en: 'A tier metric is invalid: {detailEn}',
  },
  TEXT_CONTROL_CHARACTER: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '含有无法保存的控制字符（{codePoint}），请删除后重试',
    en: 'Contains a control character that cannot be saved ({codePoint}); remove it and try again',
  },
  TEXT_INVALID_CHARACTER: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '含有无效字符（{codePoint}），请重新输入',
    en: 'Contains an invalid character ({codePoint}); type it again',
  },
  TEXT_LINE_BREAK: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '此项只能填写一行，请去掉换行',
    en: 'This field takes one line; remove the line break',
  },
  TEXT_BLANK: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '此项不能为空（只含空格或不可见字符也不行）',
    en: 'This field is required (spaces or invisible characters alone do not count)',
  },
  BATCH_TOO_LARGE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '一次批量请求最多 {max} 个调用，本次有 {count} 个',
    en: 'A batch may hold at most {max} calls; this one has {count}',
  },
  API_KEY_INVALID: {
    trpc: 'UNAUTHORIZED',
    'zh-CN': 'API 密钥无效、已过期或已吊销',
    en: 'The API key is invalid, expired or revoked',
  },
  API_KEY_SCOPE_MISSING: {
    trpc: 'FORBIDDEN',
    'zh-CN': '此 API 密钥没有 {scope} 权限范围',
    en: 'This API key does not have the {scope} scope',
  },
  API_KEY_IP_NOT_ALLOWED: {
    trpc: 'FORBIDDEN',
    'zh-CN': '此 API 密钥不允许从当前 IP 地址调用',
    en: 'This API key may not be used from this IP address',
  },
  API_KEY_IP_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请填写 IP 地址或 CIDR 网段，例如 203.0.113.8 或 10.0.0.0/24',
    en: 'Enter an IP address or a CIDR range, such as 203.0.113.8 or 10.0.0.0/24',
  },
  API_KEY_EXPIRY_PAST: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '过期时间必须晚于现在',
    en: 'The expiry must be in the future',
  },
  API_KEY_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到该 API 密钥',
    en: 'API key not found',
  },
  TENANT_RATE_LIMITED: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '本企业的请求过于频繁（每分钟最多 {limit} 次），请 {seconds} 秒后再试',
    en: 'Your organization is making too many requests (at most {limit} a minute). Try again in {seconds} s',
  },
  TENANT_BUSY: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '本企业同时进行的请求过多（每台服务器最多同时处理 {max} 个），请稍后再试',
    en: 'Your organization has too many requests in progress (at most {max} at once per server). Try again in a moment',
  },
  API_RATE_LIMITED: {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '请求过于频繁，请 {seconds} 秒后再试',
    en: 'Too many requests. Try again in {seconds} s',
  },
  API_ROUTE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '没有这个 API 接口',
    en: 'No such API route',
  },
  WEBHOOK_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到该 Webhook',
    en: 'Webhook not found',
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到该投递记录',
    en: 'Delivery not found',
  },
  WEBHOOK_URL_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请填写有效的 HTTPS 地址',
    en: 'Enter a valid HTTPS URL',
  },
  WEBHOOK_URL_FORBIDDEN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '不能投递到内网、本机或元数据地址（{host}）',
    en: 'Deliveries may not go to private, loopback or metadata addresses ({host})',
  },
  WEBHOOK_EVENT_UNKNOWN: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '未知的事件类型',
    en: 'Unknown event type',
  },
  WECOM_ROBOT_URL_INVALID: {
    trpc: 'BAD_REQUEST',
    'zh-CN':
      '请填写企业微信群机器人的 Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）',
    en: 'Enter the WeCom group robot webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)',
  },
  WECOM_NOT_CONNECTED: {
    trpc: 'PRECONDITION_FAILED',
    'zh-CN': '尚未连接企业微信群机器人',
    en: 'No WeCom group robot is connected',
  },
  WECOM_SEND_FAILED: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '企业微信未接受消息：{reason}',
    en: 'WeCom did not accept the message: {reason}',
  },
  DATE_OUT_OF_RANGE: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '日期超出范围（公元 1 年至 9999 年）',
    en: 'The date is out of range (years 1 to 9999)',
  },
  REQUEST_TOO_LARGE: {
    trpc: 'PAYLOAD_TOO_LARGE',
    'zh-CN': '请求内容过大，最多 {max}',
    en: 'The request is too large (at most {max})',
  },
  INVALID_INPUT: {
    trpc: 'BAD_REQUEST',
    'zh-CN': '填写的内容有误，请检查后重试',
    en: 'Some fields need attention',
  },
  INTERNAL: {
    trpc: 'INTERNAL_SERVER_ERROR',
    'zh-CN': '服务器出错了，请稍后重试',
    en: 'Something went wrong. Try again later',
  },
} as const satisfies Record<string, { trpc: ErrorStatus; 'zh-CN': string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A problem with one input field, already written in each language (e.g. by a plugin's rules). */
export type LocalizedFieldError = { path: string; message: { 'zh-CN': string; en: string } };

/** An error as a value with a code; the edge turns it into a tRPC error and a translated message. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  /** The input field the error is about, so a form can show it under that field. */
  readonly field: string | null;
  /** Several fields' problems with their own messages (sent as field errors in the caller's language). */
  readonly details: LocalizedFieldError[];
  constructor(
    code: ErrorCode,
    params: Record<string, string | number> = {},
    field: string | null = null,
    details: LocalizedFieldError[] = [],
  ) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.field = field;
    this.details = details;
  }
}

/** An error as a value, to throw from any layer; each edge turns it into its own answer. */
export function appError(
  code: ErrorCode,
  params: Record<string, string | number> = {},
  field: string | null = null,
  details: LocalizedFieldError[] = [],
): AppError {
  return new AppError(code, params, field, details);
}

/** The class of an error code (BAD_REQUEST, NOT_FOUND …). */
export function statusOf(code: ErrorCode): ErrorStatus {
  return ERRORS[code].trpc;
}

/** The HTTP status of an error code, for REST routes. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[statusOf(code)];
}

export function translateError(
  code: ErrorCode,
  locale: Locale,
  params: Record<string, string | number> = {},
): string {
  let message: string = ERRORS[code][locale];
  for (const [key, value] of Object.entries(params)) message = message.replaceAll(`{${key}}`, String(value));
  return message;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}
