import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import type { CustomFieldDefinition, RouterOutputs } from '../../lib/api-types';
import type { Shell } from '../../lib/shell-context';
import { industryCurrent, me, tenant } from '../../test/fixtures';
import { renderRoute } from '../../test/render';
import { answerTrpc, callsOf } from '../../test/trpc-msw';
import { Route as surveysRoute } from './surveys';

// jsdom has no canvas: the chart stands in as its label and series, which the test reads.
vi.mock('../../features/surveys/EChart', () => ({
  EChart: ({ option, label }: { option: { series: { name: string; data: unknown[] }[] }; label: string }) => (
    <div role="img" aria-label={label}>
      {option.series.map((series) => `${series.name}: ${series.data.join(',')}`).join(' | ')}
    </div>
  ),
}));

/** The titles of the options of the dropdown opened last (antd appends each to the body when first opened). */
const openOptions = () =>
  [
    ...([...document.querySelectorAll('.ant-select-dropdown')]
      .at(-1)
      ?.querySelectorAll('.ant-select-item-option') ?? []),
  ].map((element) => element.getAttribute('title'));

/*
 * 问卷: the list of the plugin's and the tenant's surveys with what each question writes to
 * the profile; the designer's 写入客户资料 (only the fields a question can write, the option
 * mapping of a need type, the SDK's check before saving);
 * 结果分析 with NPS per tier; 差评回访 filtered by state — in zh-CN and in English.
 */

const marketingShell: Shell = {
  me,
  tenant: {
    ...tenant,
    role: 'marketing',
    permissions: ['customers.read', 'surveys.send', 'surveys.manage', 'surveys.results'],
  },
};

type Survey = RouterOutputs['surveys']['list']['items'][number];
const text = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const option = (value: string, zh: string, en: string) => ({ value, labels: text(zh, en) });

const NPS: Survey = {
  key: 'retail_nps',
  id: null,
  source: 'plugin',
  kind: 'nps',
  title: text('会员推荐意愿调研', 'Member recommendation survey'),
  description: null,
  locale: null,
  schedule: { every: 'half_year' },
  audienceTiers: ['head', 'waist'],
  enabled: true,
  invited: 120,
  responded: 64,
  questions: [
    {
      key: 'recommend',
      type: 'nps',
      labels: text('您有多大可能向朋友推荐我们？', 'How likely are you to recommend us?'),
      required: true,
      options: [],
      scale: null,
      profile: null,
    },
  ],
};

const NEEDS: Survey = {
  key: 'tenant_a1b2c3d4e5',
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  source: 'tenant',
  kind: 'needs',
  title: text('门店需求调研', 'Store needs survey'),
  description: null,
  locale: 'zh-CN',
  schedule: null,
  audienceTiers: [],
  enabled: true,
  invited: 0,
  responded: 0,
  questions: [
    {
      key: 'wants',
      type: 'text',
      labels: text('您最想要我们增加什么？', 'What would you like us to add?'),
      required: false,
      options: [],
      scale: null,
      profile: { field: 'explicit_needs' },
    },
    {
      key: 'kind',
      type: 'single_choice',
      labels: text('您更需要商品还是服务？', 'Goods or services?'),
      required: false,
      options: [option('goods', '商品', 'Goods'), option('care', '售后服务', 'After-sales care')],
      scale: null,
      profile: { field: 'need_type', values: { goods: 'product', care: 'service' } },
    },
  ],
};

const TICKET_CSAT: Survey = {
  ...NPS,
  key: 'retail_ticket_csat',
  kind: 'csat',
  title: text('售后服务满意度', 'After-sales satisfaction'),
  schedule: { after: 'ticket_closed', delayDays: 0 },
  audienceTiers: [],
  invited: 7,
  responded: 5,
  questions: [],
};

const FIELDS: CustomFieldDefinition[] = [
  {
    id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
    key: 'shop_size',
    labelZh: '门店面积',
    labelEn: 'Shop size',
    type: 'number',
    options: [],
    required: false,
    position: 0,
    source: 'tenant',
    archived: false,
    sensitive: false,
    validation: {},
  },
  {
    id: '2b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
    key: 'favourite_style',
    labelZh: '偏好风格',
    labelEn: 'Favourite style',
    type: 'enum',
    options: [
      { value: 'classic', labelZh: '经典', labelEn: 'Classic' },
      { value: 'sporty', labelZh: '运动', labelEn: 'Sporty' },
    ],
    required: false,
    position: 1,
    source: 'tenant',
    archived: false,
    sensitive: false,
    validation: {},
  },
];

/** The table row holding this text (the same text may also stand outside the table). */
const row = (name: string, { exact = false }: { exact?: boolean } = {}) =>
  within(
    screen
      .getAllByText(name, { exact })
      .map((element) => element.closest('tr'))
      .find((element) => element !== null) as HTMLElement,
  );

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('问卷', () => {
  it('lists the surveys with their schedule and answers, and what each question writes to the profile', async () => {
    answerTrpc({
      'surveys.list': () => ({ items: [NPS, NEEDS, TICKET_CSAT] }),
      'industry.current': () => industryCurrent,
      'customFields.list': () => FIELDS,
    });
    const { user } = renderRoute({
      url: '/surveys',
      shell: marketingShell,
      app: [{ route: surveysRoute, path: '/surveys' }],
    });

    await screen.findByText('会员推荐意愿调研', {}, { timeout: 20_000 });
    expect(row('售后服务满意度').getByText('工单关闭后立即发送')).toBeInTheDocument();
    expect(row('会员推荐意愿调研').getByText('每半年')).toBeInTheDocument();
    expect(row('会员推荐意愿调研').getByText('头部客户')).toBeInTheDocument();
    expect(row('会员推荐意愿调研').getByText('已回复 64 份，共邀请 120 份')).toBeInTheDocument();
    expect(row('会员推荐意愿调研').getByText('行业方案')).toBeInTheDocument();
    expect(row('门店需求调研').getByText('手动发送')).toBeInTheDocument();
    // A plugin survey is read-only: only the tenant's has 编辑.
    expect(row('会员推荐意愿调研').queryByRole('button', { name: /编辑/ })).toBeNull();

    await user.click(row('门店需求调研').getByRole('button', { name: /展开|Expand/ }));
    const mappings = await screen.findAllByTestId('survey-profile-mapping');
    expect(mappings.map((tag) => tag.textContent)).toEqual([
      '写入：显性需求',
      '写入：需求类型（商品 → 产品需求；售后服务 → 服务需求）',
    ]);

    await i18n.changeLanguage('en');
    expect(await screen.findByText('64 answered of 120 invited')).toBeInTheDocument();
    expect(screen.getAllByTestId('survey-profile-mapping')[1]).toHaveTextContent(
      'Writes to Need type (Goods → Product need; After-sales care → Service need)',
    );
  }, 60_000);

  it('maps a question to the profile in the designer: only fitting fields, the options of a need type, checked before saving', async () => {
    answerTrpc({
      'surveys.list': () => ({ items: [NPS, NEEDS] }),
      'industry.current': () => industryCurrent,
      'customFields.list': () => FIELDS,
      'surveys.save': () => NEEDS,
    });
    const { user } = renderRoute({
      url: '/surveys',
      shell: marketingShell,
      app: [{ route: surveysRoute, path: '/surveys' }],
    });
    await screen.findByText('门店需求调研', {}, { timeout: 20_000 });
    await user.click(row('门店需求调研').getByRole('button', { name: /编辑/ }));
    const dialog = within(await screen.findByRole('dialog'));

    // The text question writes 显性需求; the choice question the need type, option by option.
    expect(dialog.getByTestId('survey-profile-0')).toHaveTextContent('显性需求');
    expect(dialog.getByTestId('survey-profile-1')).toHaveTextContent('需求类型');
    const values = within(dialog.getByTestId('survey-profile-values-1'));
    expect(values.getByText('商品')).toBeInTheDocument();
    expect(values.getByLabelText('选项「售后服务」写入的值').closest('.ant-select')).toHaveTextContent(
      '服务需求',
    );

    // A new number question is offered only the number field.
    await user.click(dialog.getByRole('button', { name: /添加题目/ }));
    await user.click(dialog.getAllByLabelText('题型').at(-1) as HTMLElement);
    await user.click(await screen.findByTitle('数字'));
    await user.click(within(dialog.getByTestId('survey-profile-2')).getByRole('combobox'));
    await waitFor(() => expect(openOptions()).toEqual(['门店面积']));
    await user.click(screen.getByTitle('门店面积'));
    await user.type(
      dialog.getAllByLabelText('题目（中文）').at(-1) as HTMLElement,
      '门店面积多大（平方米）？',
    );

    // Saving sends the mappings as the API takes them.
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(callsOf('surveys.save')).toHaveLength(1));
    const sent = callsOf('surveys.save')[0]?.input;
    expect(sent?.questions.map((question) => question.profile)).toEqual([
      { field: 'explicit_needs' },
      { field: 'need_type', values: { goods: 'product', care: 'service' } },
      { field: 'custom:shop_size' },
    ]);
  }, 90_000);

  it('stops a mapping that does not fit before saving, on its question', async () => {
    answerTrpc({
      'surveys.list': () => ({ items: [NPS, NEEDS] }),
      'industry.current': () => industryCurrent,
      'customFields.list': () => FIELDS,
    });
    const { user } = renderRoute({
      url: '/surveys',
      shell: marketingShell,
      app: [{ route: surveysRoute, path: '/surveys' }],
    });
    await screen.findByText('门店需求调研', {}, { timeout: 20_000 });
    await user.click(row('门店需求调研').getByRole('button', { name: /编辑/ }));
    const dialog = within(await screen.findByRole('dialog'));
    // The need type's options all cleared: the SDK's check refuses it on its question.
    for (const label of ['选项「商品」写入的值', '选项「售后服务」写入的值']) {
      const select = dialog.getByLabelText(label).closest('.ant-select') as HTMLElement;
      await user.hover(select);
      await user.click(select.querySelector('.ant-select-clear') as HTMLElement);
    }
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(
      await dialog.findByText(
        /不能写入客户资料「need_type」：须用 values 把选项映射为 product、service 或 both/,
      ),
    ).toBeInTheDocument();
    expect(callsOf('surveys.save')).toHaveLength(0);
  }, 90_000);

  it('says what an option needs in words, not as a pattern', async () => {
    answerTrpc({
      'surveys.list': () => ({ items: [NPS, NEEDS] }),
      'industry.current': () => industryCurrent,
      'customFields.list': () => FIELDS,
    });
    const { user } = renderRoute({
      url: '/surveys',
      shell: marketingShell,
      app: [{ route: surveysRoute, path: '/surveys' }],
    });
    await screen.findByText('门店需求调研', {}, { timeout: 20_000 });
    await user.click(row('门店需求调研').getByRole('button', { name: /编辑/ }));
    const dialog = within(await screen.findByRole('dialog'));
    // A third option with a key written as a label, and no text.
    await user.click(dialog.getByRole('button', { name: /添加选项/ }));
    await user.type(dialog.getAllByPlaceholderText('选项键').at(-1) as HTMLElement, 'Gift Card');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await dialog.findByText('选项键只能用小写字母、数字和下划线，如 goods')).toBeInTheDocument();
    expect(dialog.getAllByText('请填写此项').length).toBeGreaterThanOrEqual(1);
    expect(dialog.queryByText(/not a valid|不符合|is required|必填/)).not.toBeInTheDocument();
    expect(callsOf('surveys.save')).toHaveLength(0);
  }, 90_000);

  it('shows NPS and CSAT per tier with the response rate and the closed loop', async () => {
    const tierRow = (
      group: string,
      nps: number,
      promoters: number,
      passives: number,
      detractors: number,
    ) => ({
      group,
      subgroup: null,
      label: null,
      responses: promoters + passives + detractors,
      promoters,
      passives,
      detractors,
      nps,
      csat: 94.5,
      averageScore: 86,
      invited: 100,
      responseRate: 58,
    });
    answerTrpc({
      'surveys.list': () => ({ items: [NPS, NEEDS] }),
      'industry.current': () => industryCurrent,
      'customFields.list': () => FIELDS,
      'surveys.results': (input) => ({
        totals: { ...tierRow('', 41.5, 90, 50, 30), group: null },
        rows:
          input.by === 'tier' && !input.thenBy
            ? [
                tierRow('head', 62, 40, 12, 5),
                tierRow('waist', 35.2, 30, 20, 10),
                tierRow('tail', 12, 20, 18, 15),
              ]
            : input.by === 'month'
              ? [{ ...tierRow('2026-11', 40, 30, 10, 10), label: '2026-11' }]
              : [{ ...tierRow('head', 62, 40, 12, 5), subgroup: '2026-11' }],
        followUps: { opened: 12, closed: 9, closedLoopRate: 75 },
      }),
      'surveys.responses': () => ({
        items: [
          {
            id: '3c2b1a0f-9e8d-4c7b-8a69-5f4e3d2c1b0a',
            surveyKey: 'retail_nps',
            surveyKind: 'nps',
            customerId: '4c2b1a0f-9e8d-4c7b-8a69-5f4e3d2c1b0a',
            customerName: '张晓梅',
            tier: 'waist',
            score: 4,
            low: true,
            answers: { recommend: 4, reason: '客服一直不回复退货申请。' },
            respondedAt: '2026-11-20T03:00:00.000Z',
            followUpId: null,
            followUpStatus: 'open',
          },
        ],
      }),
    });
    renderRoute({
      url: '/surveys?tab=results',
      shell: marketingShell,
      app: [{ route: surveysRoute, path: '/surveys' }],
    });
    await screen.findByTestId('results-nps', {}, { timeout: 20_000 });
    await waitFor(() => expect(screen.getByTestId('results-nps')).toHaveTextContent('净推荐值41.5'));
    expect(await screen.findByText('75%')).toBeInTheDocument();
    expect(row('头部客户', { exact: true }).getByText('62')).toBeInTheDocument();
    expect(row('腰部客户', { exact: true }).getByText('35.2')).toBeInTheDocument();
    expect(row('长尾客户', { exact: true }).getByText('15')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: '各分层净推荐值（按月）' })).toHaveTextContent('头部客户: 62');
    await waitFor(() =>
      expect(callsOf('surveys.results').map((call) => [call.input.by, call.input.thenBy])).toEqual(
        expect.arrayContaining([
          ['tier', 'month'],
          ['tier', undefined],
          ['month', undefined],
        ]),
      ),
    );

    await i18n.changeLanguage('en');
    expect(await screen.findByRole('columnheader', { name: 'Detractors' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'NPS per tier by month' })).toBeInTheDocument();
  }, 60_000);

  it('filters the follow-ups by state and sends the cause analysis', async () => {
    const followUp = (status: 'open' | 'analysed', name: string) => ({
      id: status === 'open' ? '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a' : '6d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      responseId: '7d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      customerId: '8d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      customerName: name,
      ownerUserId: me.user.id,
      taskId: null,
      status,
      cause: status === 'open' ? null : ('price' as const),
      causeText: null,
      improvement: status === 'open' ? null : '按年度用量重新报价',
      checkBackOn: status === 'open' ? null : '2026-12-20',
      checkBackResult: null,
      surveyKey: 'retail_nps',
      score: 3,
      createdAt: '2026-12-01T02:00:00.000Z',
    });
    answerTrpc({
      'surveys.list': () => ({ items: [NPS] }),
      'industry.current': () => industryCurrent,
      'customFields.list': () => FIELDS,
      'surveys.followUps': (input) => ({
        items: input.status === 'analysed' ? [followUp('analysed', '李建国')] : [followUp('open', '张晓梅')],
      }),
      'surveys.analyseFollowUp': () => followUp('analysed', '张晓梅'),
    });
    const { user } = renderRoute({
      url: '/surveys?tab=followUps',
      shell: marketingShell,
      app: [{ route: surveysRoute, path: '/surveys' }],
    });
    expect(await screen.findByText('张晓梅', {}, { timeout: 20_000 })).toBeInTheDocument();
    expect(row('张晓梅').getByText('会员推荐意愿调研')).toBeInTheDocument();
    expect(callsOf('surveys.followUps')[0]?.input).toMatchObject({ status: 'open' });

    await user.click(screen.getByRole('radio', { name: '待回访' }).closest('label') as HTMLElement);
    expect(await screen.findByText('李建国')).toBeInTheDocument();
    expect(row('李建国').getByText('价格')).toBeInTheDocument();
    expect(callsOf('surveys.followUps').at(-1)?.input).toMatchObject({ status: 'analysed' });

    await user.click(screen.getByRole('radio', { name: '待分析' }).closest('label') as HTMLElement);
    await user.click(await screen.findByTestId('follow-up-work'));
    const dialog = within(await screen.findByRole('dialog'));
    await user.type(dialog.getByLabelText('改进措施'), '指定专属客服，4 小时内回电');
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(callsOf('surveys.analyseFollowUp')).toHaveLength(1));
    expect(callsOf('surveys.analyseFollowUp')[0]?.input).toMatchObject({
      id: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      cause: 'service',
      improvement: '指定专属客服，4 小时内回电',
    });

    await i18n.changeLanguage('en');
    expect(await screen.findByRole('radio', { name: 'To analyse' })).toBeInTheDocument();
  }, 60_000);
});
