import { useEffect, useState } from 'react';

/** Screens live under /console/<screen>; the API serves the app shell for every such path. */
export const BASE = '/console/';

export function currentRoute(): { screen: string; params: URLSearchParams } {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '';
  return { screen: path.split('/')[0] ?? '', params: new URLSearchParams(window.location.search) };
}

export function navigate(screen: string, search = ''): void {
  window.history.pushState(null, '', `${BASE}${screen}${search}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  }, []);
  return route;
}
