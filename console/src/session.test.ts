import { clearSession, loadSession, saveSession } from './session';

describe('session', () => {
  it('keeps the key in sessionStorage only, and forgets it at sign-out', () => {
    saveSession({ key: 'aick_admin_secret', role: 'admin', label: 'Acme' });
    expect(loadSession()).toEqual({ key: 'aick_admin_secret', role: 'admin', label: 'Acme' });
    expect(window.localStorage.length).toBe(0);
    clearSession();
    expect(loadSession()).toBeNull();
    expect(window.sessionStorage.length).toBe(0);
  });
});
