/*
 * The little of semver the envelope needs: `x.y.z` versions and the ranges plugins write
 * (`^1.2.0`, `~1.2.0`, `1.x`, `>=1.0.0 <2.0.0`, `1.2.3`, `*`, and `||` between them).
 * Pre-release tags are not supported: the SDK has none.
 */

export type Version = readonly [major: number, minor: number, patch: number];

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(text: string): Version | null {
  const match = VERSION.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

type Comparator = { op: '<' | '<=' | '>' | '>=' | '='; version: Version };

const PARTIAL = /^(0|[1-9]\d*|x|\*)(?:\.(0|[1-9]\d*|x|\*))?(?:\.(0|[1-9]\d*|x|\*))?$/i;

/** The comparators one space-separated term stands for; null when it is not a range. */
function comparatorsOf(term: string): Comparator[] | null {
  const operator = /^(\^|~|>=|<=|>|<|=)?\s*(.*)$/.exec(term);
  if (!operator) return null;
  const op = operator[1] ?? '';
  const match = PARTIAL.exec(operator[2] ?? '');
  if (!match) return null;
  const parts = [match[1], match[2], match[3]].map((part) =>
    part === undefined || part === '*' || part.toLowerCase() === 'x' ? null : Number(part),
  );
  const [major, minor, patch] = parts as [number | null, number | null, number | null];
  if (major === null) return op === '' || op === '=' || op === '>=' ? [] : null;
  const floor: Version = [major, minor ?? 0, patch ?? 0];
  if (op === '^') {
    const ceiling: Version =
      major > 0 || minor === null
        ? [major + 1, 0, 0]
        : minor > 0 || patch === null
          ? [0, minor + 1, 0]
          : [0, 0, (patch ?? 0) + 1];
    return [
      { op: '>=', version: floor },
      { op: '<', version: ceiling },
    ];
  }
  if (op === '~' || (op === '' && (minor === null || patch === null)) || (op === '=' && patch === null)) {
    const ceiling: Version = minor === null ? [major + 1, 0, 0] : [major, minor + 1, 0];
    return [
      { op: '>=', version: floor },
      { op: '<', version: ceiling },
    ];
  }
  if (op === '' || op === '=') return [{ op: '=', version: floor }];
  return [{ op: op as Comparator['op'], version: floor }];
}

function holds(comparator: Comparator, version: Version): boolean {
  const order = compare(version, comparator.version);
  switch (comparator.op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
  }
}

/** The range's alternatives (`||`), each a list of comparators that must all hold; null when malformed. */
export function parseRange(range: string): Comparator[][] | null {
  if (range.trim() === '') return null;
  const alternatives: Comparator[][] = [];
  for (const alternative of range.split('||')) {
    const terms = alternative
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (terms.length === 0) return null;
    const comparators: Comparator[] = [];
    for (const term of terms) {
      const found = comparatorsOf(term);
      if (!found) return null;
      comparators.push(...found);
    }
    alternatives.push(comparators);
  }
  return alternatives;
}

export function isValidRange(range: string): boolean {
  return parseRange(range) !== null;
}

/** Whether `version` is in `range` (false when either is malformed). */
export function satisfies(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  const alternatives = parseRange(range);
  if (!parsed || !alternatives) return false;
  return alternatives.some((comparators) => comparators.every((comparator) => holds(comparator, parsed)));
}
