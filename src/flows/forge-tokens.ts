import type { Forge, RepoToken } from '../forge/index.ts';

const templateTokenReuseMs = 12 * 3600_000;
const templateProjectReuseMs = 5 * 60_000;

/**
 * The forge tokens git work gets: a token of the learner's fork for one operation (the only token a
 * sandbox ever sees), and, on labgate's side only, a read-only token per template.
 */
export function createForgeTokens(forge: Pick<Forge, 'mintRepoToken' | 'revokeRepoToken' | 'findProject'>) {
  const readTokens = new Map<number, { token: Promise<RepoToken>; at: number }>();
  const projects = new Map<number, { url: string; branch: string; at: number } | undefined>();

  const readToken = (templateId: number) => async () => {
    let cached = readTokens.get(templateId);
    if (!cached || Date.now() - cached.at > templateTokenReuseMs) {
      cached = { token: forge.mintRepoToken(templateId, { days: 2, access: 'read' }), at: Date.now() };
      readTokens.set(templateId, cached);
      cached.token.catch(() => readTokens.delete(templateId));
    }
    return (await cached.token).token;
  };

  return {
    /** A fork token minted on first use within one operation, and revoked when it ends. */
    perOperation() {
      let minted: { projectId: number; token: Promise<RepoToken> } | undefined;
      return {
        async get(forkId: number) {
          minted ??= { projectId: forkId, token: forge.mintRepoToken(forkId, { days: 1, access: 'write' }) };
          return (await minted.token).token;
        },
        async revoke() {
          if (!minted) return;
          const { projectId, token } = minted;
          await token.then((t) => forge.revokeRepoToken(projectId, t.id)).catch(() => {});
        },
      };
    },
    /** The template's clone URL and branch with a read-only token; undefined once it is deleted. */
    async template(templateId: number) {
      const cached = projects.get(templateId) as { url: string; branch: string; at: number } | undefined;
      let project = cached && Date.now() - cached.at < templateProjectReuseMs ? cached : undefined;
      if (!project) {
        const found = await forge.findProject(templateId);
        project = found && { url: found.httpUrl, branch: found.defaultBranch, at: Date.now() };
        projects.set(templateId, project);
      }
      return project && { url: project.url, branch: project.branch, token: readToken(templateId) };
    },
  };
}

export type ForgeTokens = ReturnType<typeof createForgeTokens>;
