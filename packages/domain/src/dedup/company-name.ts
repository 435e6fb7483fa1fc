import { foldWidth, NAME_CHARACTERS } from './text';

/** Markers of a branch at the end of a company name, longest first. */
export const BRANCH_MARKERS = [
  '分公司',
  '营业部',
  '办事处',
  '代表处',
  '分行',
  '支行',
  '门店',
  '分店',
  '分厂',
];
/** Where the head office's name ends inside a branch's name (`A有限公司` | `北京分公司`). */
const HEAD_OFFICE_END = /^(.*(公司|银行|集团|总行))/s;
/** Legal-form suffixes, longest first, stripped repeatedly from the end. */
export const LEGAL_SUFFIXES = [
  '集团股份有限公司',
  '集团有限责任公司',
  '集团有限公司',
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团公司',
  '总公司',
  '公司',
  '集团',
];
/** English legal forms after a space or punctuation: `Co., Ltd.`, `Inc.`, `Limited` … */
const ENGLISH_SUFFIX =
  /(^|[^0-9a-z])(co\.?,?[ \t]*ltd|company[ \t]+limited|limited|ltd|incorporated|inc|corporation|corp|llc|gmbh|plc|company|co)[ \t.,]*$/s;
const OPENING = /[【〔［｛{[<《〈「『]/g;
const CLOSING = /[】〕］｝}\]>》〉」』]/g;
const DROPPED = new RegExp(`[^${NAME_CHARACTERS}()]`, 'g');

export type CompanyNameKey = {
  /** The head office's name without legal form, region in brackets, spaces or punctuation. */
  key: string;
  /** The name is a branch's (A公司北京分公司): related to, not the same as, `key`. */
  branch: boolean;
};

/**
 * The match key of a company name:
 * 1. NFKC (full-width letters, digits, brackets → half-width), ASCII lower-cased, every
 *    kind of bracket (【】〔〕［］《》…) made round;
 * 2. English legal forms stripped (`Co., Ltd.`, `Inc.`, `Limited`, `Corp.` …);
 * 3. spaces and punctuation removed; a bracketed part (a region: `腾讯科技（深圳）有限公司`)
 *    removed with its content, unless it opens the name (`【华辰】科技` keeps 华辰);
 * 4. a branch marker at the end (分公司, 分行, 支行, 营业部, 办事处, 代表处, 门店, 分店, 分厂) removed
 *    with the branch's place: `A有限公司北京分公司` → `A有限公司`, flagged as a branch;
 * 5. Chinese legal forms stripped from the end, repeatedly (股份有限公司, 有限责任公司,
 *    集团有限公司, 有限公司, 公司, 集团 …), never down to nothing.
 * Null when nothing is left.
 */
export function normalizeCompanyNameKey(input: string | null | undefined): CompanyNameKey | null {
  if (input == null) return null;
  let text = foldWidth(input).replace(OPENING, '(').replace(CLOSING, ')');
  for (;;) {
    const stripped = text.replace(ENGLISH_SUFFIX, '$1');
    if (stripped === text) break;
    text = stripped;
  }
  // A bracketed part at the start is the trade name (【华辰】科技): keep its content.
  text = text.replace(DROPPED, '').replace(/^\(([^()]*)\)/, '$1');
  const withoutBrackets = text.replace(/\([^()]*\)/g, '').replace(/[()]/g, '');
  text = withoutBrackets !== '' ? withoutBrackets : text.replace(/[()]/g, '');

  let branch = false;
  const marker = BRANCH_MARKERS.find((m) => text.endsWith(m) && text.length > m.length);
  if (marker) {
    branch = true;
    const rest = text.slice(0, text.length - marker.length);
    const head = HEAD_OFFICE_END.exec(rest)?.[1];
    text = head !== undefined && head.length < rest.length ? head : rest;
  }

  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (text.endsWith(suffix) && text.length > suffix.length) {
        text = text.slice(0, text.length - suffix.length);
        changed = true;
        break;
      }
    }
  }
  return text === '' ? null : { key: text, branch };
}

/** The key alone (what `crm_normalize_company_name` returns). */
export function normalizeCompanyName(input: string | null | undefined): string | null {
  return normalizeCompanyNameKey(input)?.key ?? null;
}
