/** A learner or teacher as the forge knows them, linked to labgate's OIDC identity. */
export interface ForgeUser {
  id: number;
  username: string;
}

export interface ForgeIdentity {
  /** labgate's stable OIDC subject for this person; GitLab stores it as the identity's extern_uid. */
  externUid: string;
  /** Wished-for username; a free variant is taken if GitLab already has it. */
  username: string;
  name: string;
  email: string;
}

/** What labgate needs from a GitLab (real, or gitlab-lite). Later steps add groups, forks and tokens. */
export interface Forge {
  ensureUser(identity: ForgeIdentity): Promise<ForgeUser>;
}
