/**
 * The signed-in key lives in sessionStorage only (gone when the tab closes; never localStorage), and signing out
 * forgets it. The console never shows it again.
 */
const STORAGE_KEY = 'aicall.console.key';

export type Role = 'operator' | 'admin';

export interface Session {
  key: string;
  role: Role;
  /** The tenant's name (admin) or "Operator". */
  label: string;
}

export function loadSession(storage: Storage = window.sessionStorage): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = window.sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = window.sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}
