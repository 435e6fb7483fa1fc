import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, generateMasterKey, installKeyring } from '../sensitive/keyring';
import { isTrackableUrl, type PublicLink, signPublicLink, verifyPublicLink } from './public-links';

const previous = generateMasterKey();
const current = generateMasterKey();
const link: PublicLink = {
  kind: 'link_click',
  tenantId: '2b1f7c3e-4a5d-4e6f-8a9b-0c1d2e3f4a5b',
  subjectId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  campaignId: null,
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
};
const target = 'https://example.com/pricing?utm=crm';

describe('public link tokens', () => {
  beforeAll(() => installKeyring(createKeyring(current)));

  it('round-trips what it signs, and signs the click target with it', () => {
    const token = signPublicLink(link, target);
    expect(token).toMatch(/^[A-Za-z0-9_-]{94}$/);
    expect(verifyPublicLink(token, 'link_click', target)).toEqual(link);
    expect(verifyPublicLink(token, 'link_click', 'https://evil.example/')).toBeNull();
    expect(verifyPublicLink(token, 'link_click', null)).toBeNull();
  });

  it('refuses a token of another kind, a flipped bit, another key, or one past its expiry', () => {
    const open = signPublicLink({ ...link, kind: 'email_open', campaignId: link.subjectId });
    expect(verifyPublicLink(open, 'email_open')?.campaignId).toBe(link.subjectId);
    expect(verifyPublicLink(open, 'link_click')).toBeNull();
    for (let position = 0; position < open.length; position += 7) {
      const swapped = open[position] === 'A' ? 'B' : 'A';
      const tampered = `${open.slice(0, position)}${swapped}${open.slice(position + 1)}`;
      expect(verifyPublicLink(tampered, 'email_open'), `position ${position}`).toBeNull();
    }
    expect(verifyPublicLink(`${open}A`, 'email_open')).toBeNull();
    expect(verifyPublicLink('', 'email_open')).toBeNull();
    const later = new Date((link.expiresAt + 1) * 1000);
    expect(verifyPublicLink(open, 'email_open', null, later)).toBeNull();
    const never = signPublicLink({ ...link, kind: 'form', expiresAt: 0 });
    expect(verifyPublicLink(never, 'form', null, new Date('2099-01-01'))?.expiresAt).toBe(0);
  });

  it('keeps tokens of the previous master key valid during a rotation, and no other', () => {
    installKeyring(createKeyring(previous));
    const old = signPublicLink({ ...link, kind: 'form', expiresAt: 0 });
    installKeyring(createKeyring(current, previous));
    expect(verifyPublicLink(old, 'form')).not.toBeNull();
    installKeyring(createKeyring(current));
    expect(verifyPublicLink(old, 'form')).toBeNull();
  });

  it('tracks only absolute http(s) URLs without credentials', () => {
    expect(isTrackableUrl('https://example.com/a')).toBe(true);
    expect(isTrackableUrl('http://example.com')).toBe(true);
    expect(isTrackableUrl('javascript:alert(1)')).toBe(false);
    expect(isTrackableUrl('//evil.example/')).toBe(false);
    expect(isTrackableUrl('/relative')).toBe(false);
    expect(isTrackableUrl('https://user:pw@example.com/')).toBe(false);
    expect(isTrackableUrl(`https://example.com/${'a'.repeat(2000)}`)).toBe(false);
  });
});
