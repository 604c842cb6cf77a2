import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import type { Config } from '../config.ts';
import { createCourseTemplates, type WorkspaceImages } from '../flows/index.ts';
import { createGitlabForge, type Forge, type Provisioner } from '../forge/index.ts';
import { registerPublishRoutes } from '../web/routes/publish-routes.ts';
import { forgeSettings } from './class-grading.ts';

/** One upload into a template: notebooks and a few data files; larger ones go through git. */
const maxUploadBytes = 10 * 2 ** 20;
const maxUploadFiles = 50;

/** The images an assignment may name: WORKSPACE_IMAGE (the default) and WORKSPACE_IMAGES_ALLOWED. */
export const workspaceImages = (config: Config): WorkspaceImages => ({
  default: config.workspaces?.image,
  others: config.workspaces?.allowedImages ?? [],
});

/** The course page's "Publish an exercise" pages, with the forge when there is one. */
export function registerPublishing(
  server: FastifyInstance,
  o: {
    config: Config;
    services: Pick<Services, 'sessions' | 'courses' | 'assignments' | 'now'>;
    forge: Forge | undefined;
    provisioner: Provisioner | undefined;
  },
) {
  const { forge, provisioner } = o;
  registerPublishRoutes(server, {
    sessions: o.services.sessions,
    courses: o.services.courses,
    assignments: o.services.assignments,
    now: o.services.now,
    images: workspaceImages(o.config),
    maxUploadBytes,
    publishing:
      forge && provisioner
        ? {
            forge,
            templates: createCourseTemplates({ forge, provisioner, maxUploadBytes, maxUploadFiles }),
          }
        : undefined,
  });
}

/**
 * The forge `labgate assignments add` checks templates on: FORGE_URL's, else the demo's embedded one
 * when its files are in DATA_DIR; undefined when there is neither (the template is then not checked).
 */
export async function openPublishingForge(config: Config): Promise<Forge | undefined> {
  const settings = await forgeSettings(config).catch(() => undefined);
  return settings && createGitlabForge({ url: settings.url, token: settings.token });
}
