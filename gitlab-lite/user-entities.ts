import type { Store } from './store.ts';

export interface UserRow {
  id: number;
  username: string;
  email: string;
  name: string;
  state: string;
  is_admin: number;
  external: number;
  can_create_group: number;
  projects_limit: number;
  created_at: string;
  confirmed_at: string | null;
  user_type: string;
}

/** The entities GitLab renders for a user, by who is asking (lib/api/entities/user*.rb). */
export function userEntities(store: Store, baseUrl: () => string) {
  const identities = (id: number) =>
    store
      .prepare('SELECT provider, extern_uid FROM identities WHERE user_id = ? ORDER BY provider')
      .all(id) as Array<{
      provider: string;
      extern_uid: string;
    }>;

  const basic = (u: UserRow) => ({
    id: u.id,
    username: u.username,
    name: u.name,
    state: u.state,
    locked: false,
    avatar_url: null,
    web_url: `${baseUrl()}/${u.username}`,
  });

  const publicUser = (u: UserRow) => ({
    ...basic(u),
    created_at: u.created_at,
    bio: '',
    location: '',
    pronouns: null,
    public_email: null,
    linkedin: '',
    twitter: '',
    website_url: '',
    organization: '',
    job_title: '',
    bot: u.user_type === 'project_bot',
    last_sign_in_at: null,
    confirmed_at: u.confirmed_at,
    last_activity_on: null,
    email: u.email,
    commit_email: u.email,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: u.projects_limit,
    current_sign_in_at: null,
    identities: identities(u.id),
    can_create_group: u.can_create_group === 1,
    can_create_project: u.projects_limit > 0,
    two_factor_enabled: false,
    external: u.external === 1,
    private_profile: false,
  });

  const admin = (u: UserRow) => ({
    ...publicUser(u),
    is_admin: u.is_admin === 1,
    note: null,
    namespace_id: (
      store.prepare("SELECT id FROM namespaces WHERE kind = 'user' AND owner_id = ?").get(u.id) as {
        id: number;
      }
    ).id,
    created_by: null,
  });

  return { basic, publicUser, admin };
}
