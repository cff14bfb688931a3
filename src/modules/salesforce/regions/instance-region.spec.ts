import { regionOfInstance } from './instance-region';

describe('regionOfInstance', () => {
  it.each([
    ['NA130', 'us'],
    ['na1', 'us'],
    ['USA204', 'us'],
    ['USA204S', 'us'],
    ['EU2', 'eu'],
    ['DEU36', 'eu'],
    ['UK12', 'eu'],
    ['AP28', 'ap'],
    ['JPN6', 'ap'],
    ['AUS4S', 'ap'],
  ])('maps %s to %s', (instance, region) => {
    expect(regionOfInstance(instance)).toBe(region);
  });

  it.each(['', 'CS42X', 'GS0', 'ZZZ9', 'NA'])('knows no region for %p', (instance) => {
    expect(regionOfInstance(instance)).toBeNull();
  });
});
