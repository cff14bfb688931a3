import { restError } from '../http/errors';

/**
 * Which resources each composite kind accepts as subrequests. Salesforce documents them (§5.1, §5.4, §5.5)
 * but never recorded what it answers for another one: the sandbox refuses the WHOLE request with a top-level
 * 400 INVALID_INPUT naming the url [belief, listed in sandbox-org/README.md].
 */
export interface SubrequestTargets {
  /** The start of the refusal message; the url follows it. */
  refusal: string;
  /** Whether the resource path (after `/services/data/vXX.X`, e.g. `/sobjects/Account`) is accepted. */
  accepts: (resourcePath: string) => boolean;
}

/** `/composite` (§5.1, §4.4): sObject resources, Query, QueryAll (with query-more locators), sObject Collections. */
export const COMPOSITE_TARGETS: SubrequestTargets = {
  refusal: 'Composite subrequests support only sObject, Query, QueryAll and sObject Collections resources',
  accepts: (path) => /^\/(sobjects|query|queryAll|composite\/sobjects)(\/|$)/.test(path),
};

/** `/composite/graph` nodes (§5.4): sObject resources only. */
export const GRAPH_NODE_TARGETS: SubrequestTargets = {
  refusal: 'Graph nodes support only sObject resources',
  accepts: (path) => /^\/sobjects(\/|$)/.test(path),
};

/** `/composite/batch` (§5.5): every resource (search, limits, Chatter too) except the composite ones themselves. */
export const BATCH_TARGETS: SubrequestTargets = {
  refusal: 'Batch subrequests do not support composite resources',
  accepts: (path) => !/^\/composite(\/|$)/.test(path),
};

/** The resource path of `/services/data/vXX.X/<path>?…` (leading slash optional), or undefined for another url. */
function resourcePath(url: string): string | undefined {
  const match = /^\/?services\/data\/v[^/?]+(\/[^?]*)?/.exec(url);
  return match ? (match[1] ?? '/') : undefined;
}

/** Throws the top-level 400 for the first url naming a resource `targets` does not accept. */
export function refuseUnsupportedTargets(urls: string[], targets: SubrequestTargets): void {
  const refused = urls.find((url) => {
    const path = resourcePath(url);
    return path !== undefined && !targets.accepts(path);
  });
  if (refused !== undefined) throw restError(400, 'INVALID_INPUT', `${targets.refusal}: ${refused}`);
}
