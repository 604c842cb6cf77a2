import type { FastifyInstance } from 'fastify';
import { signedLaunchUrl } from '../../lti/index.ts';
import {
  demoConsumerKey,
  demoCourse,
  lti11LaunchParams,
  signLti11Launch,
  type Gradebook,
  type OutcomesService,
  type SimulatorLinks,
} from '../../simulator/index.ts';
import { localPathOr } from '../local-redirect.ts';
import { autoPostPage, simulatorPage } from '../pages/simulator-page.ts';
import { parseSimulatorQuery, simulatedPerson } from './simulator-query.ts';

export interface SimulatorRouteDeps {
  publicBaseUrl: URL;
  demoSecret: () => Promise<string>;
  now: () => number;
  /** The demo course's links made by LTI 1.3 deep linking. */
  links: Pick<SimulatorLinks, 'listLinks'>;
  /** Where learners' LTI 1.1 grades go, and the gradebook that learns who was launched. */
  outcomes: OutcomesService;
  gradebook: Pick<Gradebook, 'recordLaunch'>;
}

/** Demo and test helper: an LMS that performs real signed LTI 1.1 launches into this labgate. */
export function registerSimulatorRoutes(server: FastifyInstance, deps: SimulatorRouteDeps) {
  server.get('/simulator', async (request, reply) => {
    const q = (request.query ?? {}) as { returned?: string; linked?: unknown };
    const links = deps.links.listLinks(demoCourse.contextId);
    const linked = typeof q.linked === 'string' ? q.linked : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(simulatorPage({ returned: q.returned === '1', links, ...(linked ? { linked } : {}) }));
  });

  server.get('/simulator/launch', async (request, reply) => {
    const q = parseSimulatorQuery(request.query);
    if (q.version === '1.3') {
      const next = `/simulator/lti13/launch?${request.url.split('?')[1] ?? ''}`;
      return reply.redirect(localPathOr(next, '/simulator'), 303);
    }
    const launchUrl = signedLaunchUrl(deps.publicBaseUrl, '/lti/launch');
    const params = lti11LaunchParams(simulatedPerson(q), deps.publicBaseUrl, deps.outcomes);
    const p = new Map(params);
    deps.gradebook.recordLaunch({
      lti: '1.1',
      context: p.get('context_id')!,
      userId: p.get('user_id')!,
      name: p.get('lis_person_name_full'),
      resourceLinkId: p.get('resource_link_id'),
      resourceLinkTitle: p.get('resource_link_title'),
    });
    const fields = signLti11Launch({
      launchUrl,
      consumerKey: demoConsumerKey,
      secret: await deps.demoSecret(),
      nowSeconds: Math.floor(deps.now() / 1000),
      params,
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(autoPostPage(launchUrl, fields));
  });
}
