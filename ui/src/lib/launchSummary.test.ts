import { describe, expect, it } from 'vitest';
import { expiryOf, launchTarget, MASK, msUntilExpiry, shownValue } from './launchSummary';

describe('shownValue', () => {
  it('shows an unmasked value as it is', () => {
    expect(shownValue({ name: 'user_id', value: '50123', masked: false })).toBe('50123');
  });

  it('never shows the value of a masked parameter, whatever it carries', () => {
    expect(shownValue({ name: 'oauth_signature', value: MASK, masked: true })).toBe(MASK);
    expect(shownValue({ name: 'oauth_signature', value: 'c2lnbmF0dXJl', masked: true })).toBe(MASK);
  });
});

describe('launchTarget', () => {
  it('names the context when there is one, since it wins over the class', () => {
    expect(launchTarget({ class_id: 'class-101', context_id: 'BIO101' })).toBe('context BIO101');
    expect(launchTarget({ class_id: 'class-101', context_id: null })).toBe('class class-101');
    expect(launchTarget({ class_id: null, context_id: null })).toMatch(/^no class/);
  });
});

describe('expiry', () => {
  const summary = { expires_at: '2025-03-14T09:41:07Z' };

  it('reads the RFC 3339 time the back end sends', () => {
    expect(expiryOf(summary)?.toISOString()).toBe('2025-03-14T09:41:07.000Z');
    expect(expiryOf({ expires_at: null })).toBeNull();
    expect(expiryOf({ expires_at: 'soon' })).toBeNull();
  });

  it('counts down to zero and stays there', () => {
    expect(msUntilExpiry(summary, new Date('2025-03-14T09:40:07Z'))).toBe(60_000);
    expect(msUntilExpiry(summary, new Date('2025-03-14T09:42:00Z'))).toBe(0);
    expect(msUntilExpiry({ expires_at: null }, new Date())).toBeNull();
  });
});
