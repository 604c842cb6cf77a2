import type { ForgeGroup } from '../forge.ts';
import type { ProvisionState } from './provisioning-model.ts';

/**
 * Stored forge addresses rebased onto the forge's URL now: the project and group paths stay, the
 * origin follows the forge (an embedded forge on another port, a GitLab moved to a new host).
 */
export function forgeLinks(forgeUrl: string) {
  const base = forgeUrl.replace(/\/+$/, '');
  const group = <G extends Pick<ForgeGroup, 'fullPath' | 'webUrl'>>(g: G): G => ({
    ...g,
    webUrl: `${base}/groups/${g.fullPath}`,
  });
  return {
    group,
    state(state: ProvisionState): ProvisionState {
      const f = state.fork;
      return {
        ...state,
        ...(state.group ? { group: group(state.group) } : {}),
        ...(f
          ? {
              fork: {
                ...f,
                webUrl: `${base}/${f.pathWithNamespace}`,
                httpUrl: `${base}/${f.pathWithNamespace}.git`,
              },
            }
          : {}),
      };
    },
  };
}
