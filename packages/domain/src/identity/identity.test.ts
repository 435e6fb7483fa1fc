import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, luhnValid, parseBankCard } from './bank-card';
import { MASK, mask, maskedSuffix, maskFromHint } from './mask';
import { nationalIdCheckCharacter, parseNationalId } from './national-id';
import { normalizeIdentifier } from './normalize';

const TODAY = new Date('2026-11-22T00:00:00Z');

/** Valid 18-character national IDs: region, a real birth date, sequence, check character. */
const nationalIds = fc
  .record({
    region: fc.integer({ min: 110000, max: 829999 }),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: TODAY, noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, sequence }) => {
    const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `${region}${date}${String(sequence).padStart(3, '0')}`;
    return first17 + nationalIdCheckCharacter(first17);
  });

/** Luhn-valid card numbers of 13–19 digits. */
const cardNumbers = fc
  .integer({ min: 12, max: 18 })
  .chain((length) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }))
  .map((digits) => {
    const body = digits.join('');
    return body + luhnCheckDigit(body);
  });

describe('national ID (GB 11643-1999)', () => {
  it('accepts known valid numbers, with spaces, full width and a lower-case x', () => {
    expect(parseNationalId('11010519491231002X', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
    expect(parseNationalId('110105 19491231 002x', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
    expect(parseNationalId('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
    expect(parseNationalId('4403-0419-8803-1512-33', TODAY)).toEqual({
      ok: true,
      value: '440304198803151233',
    });
  });

  it('names what is wrong', () => {
    expect(parseNationalId('440304198803151234', TODAY)).toEqual({ ok: false, problem: 'check_digit' });
    expect(parseNationalId('440304198802301232', TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseNationalId('440304203001011232', TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseNationalId('040304198803151233', TODAY)).toEqual({ ok: false, problem: 'region' });
    expect(parseNationalId('44030419880315123', TODAY)).toEqual({ ok: false, problem: 'format' });
    expect(parseNationalId('4403041988031512X3', TODAY)).toEqual({ ok: false, problem: 'format' });
  });

  it('upgrades a 15-digit legacy number to its 18-digit form', () => {
    expect(parseNationalId('440304880315123', TODAY)).toEqual({ ok: true, value: '440304198803151233' });
  });

  it('property: every generated valid number passes; any one changed digit fails', () => {
    fc.assert(
      fc.property(
        nationalIds,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (id, at, delta) => {
          expect(parseNationalId(id, TODAY)).toEqual({ ok: true, value: id });
          const changed = id.slice(0, at) + String((Number(id[at]) + delta) % 10) + id.slice(at + 1);
          // A single changed digit always changes the weighted sum mod 11 (weights are non-zero mod 11).
          expect(parseNationalId(changed, TODAY).ok).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('bank card (Luhn)', () => {
  it('accepts valid numbers in any spacing and refuses others', () => {
    expect(parseBankCard('6222 0212 3456 7890 128')).toEqual({ ok: true, value: '6222021234567890128' });
    expect(parseBankCard('6222021234567890127')).toEqual({ ok: false, problem: 'check_digit' });
    expect(parseBankCard('123456789012')).toEqual({ ok: false, problem: 'format' });
    expect(parseBankCard('12345678901234567890')).toEqual({ ok: false, problem: 'format' });
    expect(luhnValid('4111111111111111')).toBe(true);
  });

  it('property: generated numbers pass; a changed digit fails', () => {
    fc.assert(
      fc.property(cardNumbers, fc.nat(), fc.integer({ min: 1, max: 9 }), (card, position, delta) => {
        expect(parseBankCard(card)).toEqual({ ok: true, value: card });
        const at = position % card.length;
        const changed = card.slice(0, at) + String((Number(card[at]) + delta) % 10) + card.slice(at + 1);
        expect(luhnValid(changed)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('normalisation', () => {
  it('drops separators, folds full width, upper-cases', () => {
    expect(normalizeIdentifier(' ６２２２－０２１２ 3456—7890 ')).toBe('622202123456' + '7890');
    expect(normalizeIdentifier('11010519491231002x')).toBe('11010519491231002X');
  });
});

describe('mask (T4.7)', () => {
  it('shows four stars and the last four', () => {
    expect(mask('440304198803151233')).toBe('**** 1233');
    expect(mask('6222021234567890128')).toBe('**** 0128');
    expect(mask('abc')).toBe('**** c');
    expect(mask('')).toBe(MASK);
    expect(maskFromHint(null)).toBe(MASK);
  });

  it('property: reveals at most the last 4 and nothing of the start (10,000 runs)', () => {
    const values = fc.oneof(nationalIds, cardNumbers, fc.string({ unit: 'grapheme', maxLength: 60 }));
    fc.assert(
      fc.property(values, (value) => {
        const masked = mask(value);
        expect(masked.startsWith(MASK)).toBe(true);
        const shown = masked === MASK ? '' : masked.slice(MASK.length + 1);
        expect(masked === MASK || masked[MASK.length] === ' ').toBe(true);
        const characters = Array.from(value);
        const shownCharacters = Array.from(shown);
        expect(shownCharacters.length).toBeLessThanOrEqual(4);
        expect(shownCharacters.length).toBeLessThanOrEqual(Math.floor(characters.length / 2));
        // What is shown is exactly a suffix of the value.
        expect(characters.slice(characters.length - shownCharacters.length).join('')).toBe(shown);
        // No prefix: an identity number's region and birth date never appear.
        if (/^\d{13,19}$|^\d{17}[\dX]$/.test(value)) {
          expect(masked).not.toContain(value.slice(0, 6));
          expect(shown).toBe(value.slice(-4));
        }
        expect(maskedSuffix(value)).toBe(shown);
      }),
      { numRuns: 10_000 },
    );
  });
});
