import { salesforceSeconds } from './http-timing';

describe('salesforceSeconds', () => {
  it('reads the sf entry of Server-Timing in seconds', () => {
    expect(salesforceSeconds('sf;dur=12.50')).toBeCloseTo(0.0125);
    expect(salesforceSeconds('cache;dur=1, sf;dur=250')).toBeCloseTo(0.25);
  });

  it('is 0 when the response waited for no Salesforce call', () => {
    expect(salesforceSeconds(undefined)).toBe(0);
    expect(salesforceSeconds('db;dur=3')).toBe(0);
  });
});
