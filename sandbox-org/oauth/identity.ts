import type { OrgRuntime } from '../org/org-runtime';
import type { SandboxState } from '../state/sandbox-state';
import type { Session } from './session-store';
import { identityUrl } from './token-response';

/** The `urls` map of userinfo and the identity URL; `{version}` stays a literal placeholder (§1.7). */
function serviceUrls(instanceUrl: string, org: OrgRuntime, userId: string): Record<string, string> {
  const data = `${instanceUrl}/services/data/v{version}`;
  return {
    enterprise: `${instanceUrl}/services/Soap/c/{version}/${org.id}`,
    metadata: `${instanceUrl}/services/Soap/m/{version}/${org.id}`,
    partner: `${instanceUrl}/services/Soap/u/{version}/${org.id}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${instanceUrl}/services/Soap/T/{version}/${org.id}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${instanceUrl}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: instanceUrl,
  };
}

function describeUser(state: SandboxState, session: Session) {
  const org = state.org(session.orgKey);
  const user = org.userById(session.userId);
  if (!user) throw new Error(`Session of unknown user ${session.userId}`);
  const instanceUrl = state.host(org.instance).url;
  return {
    org,
    user,
    instanceUrl,
    id: identityUrl(state, org, user.id),
    urls: serviceUrls(instanceUrl, org, user.id),
  };
}

/** `GET /services/oauth2/userinfo`: OpenID Connect names (§1.7). */
export function userInfo(state: SandboxState, session: Session) {
  const { org, user, id, urls } = describeUser(state, session);
  return {
    sub: id,
    user_id: user.id,
    organization_id: org.id,
    preferred_username: user.username,
    nickname: user.firstName.toLowerCase(),
    name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: null, thumbnail: null },
    profile: urls.profile,
    picture: null,
    address: {},
    urls,
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: '2025-01-01T00:00:00Z',
    is_app_installed: true,
  };
}

/** `GET <identity URL>`: the same facts under the identity service's names (§1.7). */
export function identity(state: SandboxState, session: Session) {
  const { org, user, id, urls } = describeUser(state, session);
  return {
    id,
    asserted_user: true,
    user_id: user.id,
    organization_id: org.id,
    username: user.username,
    nick_name: user.firstName.toLowerCase(),
    display_name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    photos: { picture: null, thumbnail: null },
    urls,
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: '2025-01-01T00:00:00.000+0000',
    is_app_installed: true,
  };
}
