import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { signedLaunchUrl } from '../../lti/index.ts';
import { lti11LaunchParams, signLti11Launch, demoConsumerKey } from '../../simulator/index.ts';
import { autoPostPage, simulatorPage } from '../pages/simulator-page.ts';
import { webErrors } from '../web-errors.ts';

export interface SimulatorRouteDeps {
  publicBaseUrl: URL;
  demoSecret: () => Promise<string>;
  now: () => number;
}

const launchQuery = z.object({
  version: z.enum(['1.1', '1.3']).default('1.1'),
  flavour: z.enum(['openedx', 'moodle']).default('openedx'),
  role: z.enum(['learner', 'teacher']).default('learner'),
  locale: z.enum(['fr', 'en']).default('fr'),
  name: z.string().max(200).optional(),
  userId: z.string().max(200).optional(),
});

export type SimulatorLaunchQuery = z.infer<typeof launchQuery>;

export function parseSimulatorQuery(query: unknown): SimulatorLaunchQuery {
  const parsed = launchQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw webErrors.badRequest(`simulator parameter "${String(issue.path[0])}": ${issue.message}`);
  }
  return parsed.data;
}

/** Demo and test helper: an LMS that performs real signed LTI 1.1 launches into this labgate. */
export function registerSimulatorRoutes(server: FastifyInstance, deps: SimulatorRouteDeps) {
  server.get('/simulator', async (request, reply) => {
    const returned = (request.query as { returned?: string } | undefined)?.returned === '1';
    return reply.type('text/html; charset=utf-8').send(simulatorPage({ returned }));
  });

  server.get('/simulator/launch', async (request, reply) => {
    const q = parseSimulatorQuery(request.query);
    if (q.version === '1.3') {
      return reply.redirect(
        `/simulator/lti13/launch?${new URLSearchParams(request.query as Record<string, string>)}`,
        303,
      );
    }
    const launchUrl = signedLaunchUrl(deps.publicBaseUrl, '/lti/launch');
    const fields = signLti11Launch({
      launchUrl,
      consumerKey: demoConsumerKey,
      secret: await deps.demoSecret(),
      nowSeconds: Math.floor(deps.now() / 1000),
      params: lti11LaunchParams(
        {
          flavour: q.flavour,
          role: q.role,
          locale: q.locale,
          ...(q.name ? { name: q.name } : {}),
          ...(q.userId ? { userId: q.userId } : {}),
        },
        deps.publicBaseUrl,
      ),
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(autoPostPage(launchUrl, fields));
  });
}
