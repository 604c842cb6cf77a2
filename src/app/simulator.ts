import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.ts';
import {
  createGradebook,
  createOutage,
  createOutcomesReceiver,
  createSimulatorPlatform,
  demoConsumerKey,
  ensureDemoAssignment,
  ensureDemoConsumer,
} from '../simulator/index.ts';
import { registerSimulatorDeepLinkingRoutes } from '../web/routes/simulator-deep-linking-routes.ts';
import { registerSimulatorGradebookRoutes } from '../web/routes/simulator-gradebook-routes.ts';
import { registerSimulatorGradesRoutes } from '../web/routes/simulator-grades-routes.ts';
import { registerSimulatorLti13Routes } from '../web/routes/simulator-lti13-routes.ts';
import { registerSimulatorRoutes } from '../web/routes/simulator-routes.ts';

/**
 * The LMS simulator: the demo's LTI 1.1 consumer and LTI 1.3 platform (registered in labgate like any
 * LMS), the demo course's assignment when the embedded forge holds its template, and its pages.
 */
export async function registerSimulator(
  server: FastifyInstance,
  o: {
    services: Pick<Services, 'consumers' | 'platforms' | 'courses' | 'assignments'>;
    publicBaseUrl: URL;
    withDemoAssignment: boolean;
    now: () => number;
  },
) {
  const { consumers, platforms, courses, assignments } = o.services;
  const { publicBaseUrl, now } = o;
  await ensureDemoConsumer(consumers, publicBaseUrl);
  // Read at each launch, so that `labgate consumers rotate labgate-demo` takes effect at once.
  const demoSecret = async () => (await consumers.findConsumer(demoConsumerKey))?.secrets[0] ?? '';
  const gradebook = createGradebook(publicBaseUrl, now);
  const platform = await createSimulatorPlatform(publicBaseUrl, now, gradebook);
  const registered = await platforms.ensurePlatform(platform.registration);
  // A demo database made before the simulator had a token endpoint gets it now.
  if (registered.tokenUrl !== platform.registration.tokenUrl)
    await platforms.setTokenUrl(registered.id, platform.registration.tokenUrl);
  const outcomes = createOutcomesReceiver({
    serviceUrl: `${publicBaseUrl.href.replace(/\/$/, '')}/simulator/lti11/outcomes`,
    consumerKey: demoConsumerKey,
    secrets: async () => (await consumers.findConsumer(demoConsumerKey))?.secrets,
    gradebook,
    now,
  });
  const outage = createOutage(now);
  if (o.withDemoAssignment) {
    for (const lms of [`lti11:${demoConsumerKey}`, `lti13:${platform.registration.issuer}`])
      await ensureDemoAssignment({ courses, assignments }, lms);
  }
  const outcomesService = { serviceUrl: outcomes.serviceUrl, sourcedIdFor: outcomes.sourcedIdFor };
  registerSimulatorRoutes(server, {
    publicBaseUrl,
    demoSecret,
    now,
    links: platform.links,
    outcomes: outcomesService,
    gradebook,
  });
  registerSimulatorLti13Routes(server, { publicBaseUrl, platform, now });
  registerSimulatorDeepLinkingRoutes(server, { platform });
  registerSimulatorGradesRoutes(server, { publicBaseUrl, platform, outcomes, outage });
  registerSimulatorGradebookRoutes(server, { publicBaseUrl, gradebook, outage });
}
