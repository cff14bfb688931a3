import {
  assertProfileAllows,
  missingScopes,
  profileAllows,
  profileSatisfies,
  requiredProfileFor,
  SCOPE_PROFILES,
} from './scope-profiles';

describe('scope profiles', () => {
  it('define the scopes of the product guide', () => {
    expect(SCOPE_PROFILES.standard).toEqual(['api', 'refresh_token', 'offline_access']);
    expect(SCOPE_PROFILES.extended).toEqual([...SCOPE_PROFILES.standard, 'web', 'full']);
    expect(SCOPE_PROFILES.privileged).toEqual([...SCOPE_PROFILES.standard, 'chatter_api']);
  });

  it('keep Chatter posts behind the privileged profile', () => {
    expect(requiredProfileFor('chatter-post')).toBe('privileged');
    expect(profileAllows('standard', 'chatter-post')).toBe(false);
    expect(profileAllows('extended', 'chatter-post')).toBe(false);
    expect(profileAllows('privileged', 'chatter-post')).toBe(true);
  });

  it('let every profile do ordinary CRM writes, and only extended reach record-page UI surfaces', () => {
    for (const profile of ['standard', 'extended', 'privileged'] as const) {
      expect(profileAllows(profile, 'sobject-write')).toBe(true);
      expect(profileAllows(profile, 'query')).toBe(true);
    }
    expect(profileAllows('privileged', 'record-page-ui')).toBe(false);
    expect(profileAllows('extended', 'record-page-ui')).toBe(true);
  });

  it('order profiles by the scopes they hold', () => {
    expect(profileSatisfies('extended', 'standard')).toBe(true);
    expect(profileSatisfies('standard', 'extended')).toBe(false);
    expect(profileSatisfies('extended', 'privileged')).toBe(false);
  });
});

describe('assertProfileAllows', () => {
  it('refuses an operation beyond the profile with SCOPE_INSUFFICIENT naming the profile required', () => {
    expect(() => assertProfileAllows('privileged', 'chatter-post')).not.toThrow();
    expect(() => assertProfileAllows('standard', 'chatter-post')).toThrow(
      expect.objectContaining({ code: 'SCOPE_INSUFFICIENT', requiredProfile: 'privileged' }),
    );
  });
});

describe('missingScopes', () => {
  it('names the scopes of the profile that were not granted', () => {
    expect(missingScopes('standard', ['api', 'refresh_token'], { refreshable: true })).toEqual([]);
    expect(missingScopes('standard', ['id', 'web'], { refreshable: true })).toEqual([
      'api',
      'refresh_token',
      'offline_access',
    ]);
    expect(missingScopes('privileged', ['api'], { refreshable: false })).toEqual([]);
    expect(missingScopes('extended', ['api'], { refreshable: false })).toEqual(['web', 'full']);
  });
});
