import type { salesZhCN } from './sales.zh-CN';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Sales metrics on the Opportunities page, and the saved views of the leads and opportunities lists. */
export const salesEn: Shape<typeof salesZhCN> = {
  sales: {
    view: 'Sales metrics',
    leads: 'Leads',
    converted: 'Converted',
    conversionRate: 'Conversion',
    leadConversion: 'Lead conversion',
    highValueConversion: 'Grade {{grade}} conversion',
    ofLeads_one: '{{converted}} of {{count}} lead converted',
    ofLeads_other: '{{converted}} of {{count}} leads converted',
    firstContactOnTime: 'First contact on time',
    medianHours: 'Median time to first contact: {{hours}} h',
    winRate: 'Win rate',
    wonLost: '{{won}} won · {{lost}} lost',
    wonAmount: 'Won amount',
    averageWon: 'Average deal {{amount}}',
    salesCycle: 'Sales cycle',
    days_one: '{{count}} day',
    days_other: '{{count}} days',
    medianDays_one: 'Median {{count}} day',
    medianDays_other: 'Median {{count}} days',
    pipelineTitle: 'Open pipeline by stage',
    pipelineNote: 'As of now',
    deals: 'Deals',
    amount: 'Amount',
    weightedAmount: 'Weighted amount',
    stageConversion: 'Stage conversion',
    leadConversionTitle: 'Lead conversion',
    bySource: 'By source',
    byGrade: 'By grade',
    byMonth: 'By month',
    month: 'Month',
    noGrade: 'Not graded',
    firstContactTitle: 'Time to first contact by grade',
    slaHours: 'Limit (hours)',
    contacted: 'Contacted',
    withinSla: 'On time',
    breached: 'Late',
    medianFirstContact: 'Median (hours)',
    lostReasonsTitle: 'Lost reasons',
    noLost: 'No deals lost in this period',
    repsTitle: 'Results by rep',
    won: 'Won',
    lost: 'Lost',
    rateOf: '{{rate}} ({{part}}/{{whole}})',
    amountOf: '{{amount}} ({{n}})',
    openPipeline: 'Open pipeline (deals)',
    footnote:
      'Leads count in the period they were created, deals in the period they were won or lost; the open pipeline is as of now. Amounts add up deals in {{currency}} only. Only the leads and deals you may see are counted.',
    help: {
      leadConversion:
        'Of the leads created in the period, the share converted to a customer and an opportunity.',
      highValue: 'The conversion of the top grade’s leads (e.g. A: asked for a price or a proposal).',
      firstContact:
        'Of the leads created in the period, the share first contacted within their grade’s limit, counted in working time; a lead not contacted yet is not on time.',
      winRate: 'Of the deals closed in the period, the share won (won ÷ (won + lost)).',
      wonAmount: 'The amount of the deals won in the period; the average deal is the mean per deal.',
      salesCycle:
        'For the deals won in the period, the mean days from the lead’s creation (the deal’s, without a lead) to the win.',
      stageConversion:
        'Of the deals created in the period that reached the stage, the share that moved on to the next stage or won (moved on / reached).',
    },
  },

  listViews: {
    all: { leads: 'All leads', opportunities: 'All opportunities' },
    hint: 'Saves the current filters and sort; saving under an existing name updates that view.',
    namePlaceholder: {
      leads: 'e.g. Grade A leads past their follow-up',
      opportunities: 'e.g. Big deals in negotiation',
    },
    shareHint: {
      leads: 'Everyone in the company can use a shared view (each sees only the leads they may see)',
      opportunities:
        'Everyone in the company can use a shared view (each sees only the opportunities they may see)',
    },
  },
};
