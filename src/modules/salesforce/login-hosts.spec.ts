import { DomainError } from '../../common/errors/domain-error';
import { isGenericLoginHost, isMyDomainRefusal, resolveLoginUrl } from './login-hosts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return error instanceof DomainError ? `${error.code}: ${error.message}` : String(error);
  }
};

describe('resolveLoginUrl', () => {
  const none: string[] = [];

  it('maps production and sandbox to their login hosts and refuses a contradicting loginUrl', () => {
    expect(resolveLoginUrl({ environment: 'production' }, none)).toBe('https://login.salesforce.com');
    expect(resolveLoginUrl({ environment: 'sandbox' }, none)).toBe('https://test.salesforce.com');
    expect(resolveLoginUrl({ environment: 'sandbox', loginUrl: 'https://test.salesforce.com/' }, none)).toBe(
      'https://test.salesforce.com',
    );
    expect(
      codeOf(() =>
        resolveLoginUrl({ environment: 'production', loginUrl: 'https://x.my.salesforce.com' }, none),
      ),
    ).toMatch(/^LOGIN_URL_INVALID/);
  });

  it('accepts Salesforce My Domain hosts over https, as their origin', () => {
    for (const url of [
      'https://acme.my.salesforce.com',
      'https://acme--uat.sandbox.my.salesforce.com/',
      'https://acme.lightning.force.com',
      'https://na130.salesforce.com',
    ]) {
      expect(resolveLoginUrl({ environment: 'my_domain', loginUrl: url }, none)).toBe(new URL(url).origin);
    }
    expect(resolveLoginUrl({ loginUrl: 'https://acme.my.salesforce.com' }, none)).toBe(
      'https://acme.my.salesforce.com',
    );
  });

  it('refuses anything that could make the server call elsewhere', () => {
    const refused = [
      'http://acme.my.salesforce.com',
      'https://acme.my.salesforce.com:8443',
      'https://acme.my.salesforce.com/services/oauth2',
      'https://acme.my.salesforce.com?x=1',
      'https://user:pw@acme.my.salesforce.com',
      'https://salesforce.com.evil.example',
      'https://evilsalesforce.com',
      'http://169.254.169.254',
      'http://127.0.0.1:7400',
      'https://10.0.0.5',
      'file:///etc/passwd',
      'not a url',
    ];
    for (const loginUrl of refused) {
      expect(codeOf(() => resolveLoginUrl({ loginUrl }, none))).toMatch(/^LOGIN_URL_INVALID/);
    }
    expect(codeOf(() => resolveLoginUrl({ environment: 'my_domain' }, none))).toMatch(/^LOGIN_URL_INVALID/);
  });

  it('accepts an allowed host, with plain http only for loopback', () => {
    const allowed = ['127.0.0.1', 'sf-proxy.internal'];
    expect(resolveLoginUrl({ loginUrl: 'http://127.0.0.1:7401' }, allowed)).toBe('http://127.0.0.1:7401');
    expect(resolveLoginUrl({ loginUrl: 'https://sf-proxy.internal' }, allowed)).toBe(
      'https://sf-proxy.internal',
    );
    expect(codeOf(() => resolveLoginUrl({ loginUrl: 'http://sf-proxy.internal' }, allowed))).toMatch(
      /^LOGIN_URL_INVALID: loginUrl must use https/,
    );
  });
});

describe('My Domain rules', () => {
  it('knows the generic login hosts and Salesforce refusal of client credentials there', () => {
    expect(isGenericLoginHost('https://login.salesforce.com')).toBe(true);
    expect(isGenericLoginHost('https://TEST.salesforce.com')).toBe(true);
    expect(isGenericLoginHost('https://acme.my.salesforce.com')).toBe(false);
    expect(
      isMyDomainRefusal({
        salesforceErrorCode: 'invalid_grant',
        message: 'request not supported on this domain',
      }),
    ).toBe(true);
    expect(
      isMyDomainRefusal({ salesforceErrorCode: 'invalid_grant', message: 'authentication failure' }),
    ).toBe(false);
  });
});
