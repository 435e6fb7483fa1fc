/**
 * Exact decimal arithmetic for previews in forms (an order's total while its lines are typed),
 * on BigInt: money never goes through a float. The server computes the stored figures itself.
 */

const QUANTITY_SCALE = 3;
const MONEY_SCALE = 2;

/** A non-negative decimal string as an integer of 10^-scale units, or null when it is not one. */
function toScaled(text: string | null | undefined, scale: number): bigint | null {
  const match = /^(\d+)(?:\.(\d*))?$/.exec((text ?? '').trim());
  if (!match) return null;
  const decimals = match[2] ?? '';
  if (decimals.length > scale) return null;
  return BigInt(`${match[1]}${decimals.padEnd(scale, '0')}`);
}

/** Rounds an amount of 10^-5 units (quantity × price) to cents, half away from zero like the database. */
function toCents(product: bigint): bigint {
  const unit = 10n ** BigInt(QUANTITY_SCALE);
  return (product + unit / 2n) / unit;
}

function centsToString(cents: bigint): string {
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** quantity × unit price rounded to cents, e.g. ('3', '1999.90') → '5999.70'; null while either is incomplete. */
export function lineAmount(quantity: string | undefined, unitPrice: string | undefined): string | null {
  const q = toScaled(quantity, QUANTITY_SCALE);
  const p = toScaled(unitPrice, MONEY_SCALE);
  return q === null || p === null ? null : centsToString(toCents(q * p));
}

/** The total of the lines that are complete, rounded once at the end (as the server does). */
export function linesTotal(lines: readonly { quantity?: string; unitPrice?: string }[]): string {
  let sum = 0n;
  for (const line of lines) {
    const q = toScaled(line.quantity, QUANTITY_SCALE);
    const p = toScaled(line.unitPrice, MONEY_SCALE);
    if (q !== null && p !== null) sum += q * p;
  }
  return centsToString(toCents(sum));
}

/** A decimal string without leading zeros or trailing zeros after the point: '012800.50' → '12800.5', '2.000' → '2'. */
export function canonicalDecimal(value: string): string {
  const [integer = '0', fraction = ''] = value.trim().split('.');
  const whole = integer.replace(/^0+(?=\d)/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  return decimals ? `${whole}.${decimals}` : whole;
}
