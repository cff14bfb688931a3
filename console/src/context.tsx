import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { Session } from './session';

export interface ConsoleContextValue {
  api: ApiClient;
  session: Session;
  signOut(): void;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside a signed-in console');
  return value;
}
