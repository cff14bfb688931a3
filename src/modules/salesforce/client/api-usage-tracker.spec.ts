import { parseLimitInfo } from './api-usage-tracker';

describe('parseLimitInfo', () => {
  it('reads api-usage, whatever else the header carries', () => {
    expect(parseLimitInfo('api-usage=51/100000')).toEqual({ used: 51, limit: 100000 });
    expect(parseLimitInfo('api-usage=18/5000; api-bursts=1/750')).toEqual({ used: 18, limit: 5000 });
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=x)')).toBeUndefined();
    expect(parseLimitInfo(undefined)).toBeUndefined();
  });
});
