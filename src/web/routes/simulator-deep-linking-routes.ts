import type { FastifyInstance } from 'fastify';
import { simulatorDeploymentId, type SimulatorPlatform } from '../../simulator/index.ts';
import { isFormBody } from '../form-body.ts';
import { webErrors } from '../web-errors.ts';
import { parseSimulatorQuery, simulatedPerson } from './simulator-query.ts';

const refused = (why: string) =>
  webErrors.badRequest(`the simulated LMS refused labgate’s deep-linking answer: ${why}`);

/**
 * The simulator's deep linking, as Moodle's "Select content" does it: a teacher's LTI 1.3 deep-linking
 * request into labgate, then the answer checked (labgate's JWKS, issuer, message type, data) and kept
 * as a link of the course, which learners launch from the simulator's page.
 */
export function registerSimulatorDeepLinkingRoutes(
  server: FastifyInstance,
  deps: { platform: SimulatorPlatform },
) {
  server.get('/simulator/lti13/deep-linking', async (request, reply) => {
    const query = { role: 'teacher', ...(request.query as object) };
    const person = simulatedPerson(parseSimulatorQuery(query));
    return reply.redirect(deps.platform.loginInitiationUrl(person, { type: 'deep-linking' }), 303);
  });

  // labgate's page posts the answer here from the teacher's browser: a cross-site post in a real LMS.
  server.post(
    '/simulator/lti13/deep-linking/return',
    { config: { csrfExempt: true } },
    async (request, reply) => {
      const jwt = isFormBody(request.body) ? request.body.fields.get('JWT') : null;
      if (!jwt) throw refused('the form has no JWT field');
      const answer = await deps.platform.checkDeepLinkingReturn(jwt);
      if (!answer.ok) throw refused(answer.why);
      if (answer.deploymentId !== simulatorDeploymentId)
        throw refused(`its deployment_id is ${answer.deploymentId}, not ${simulatorDeploymentId}`);
      const awaited = deps.platform.links.takeReturn(answer.data);
      if (!awaited) throw refused('its data claim names no request the simulator is waiting for');
      const links = answer.items
        .filter((item) => item.type === 'ltiResourceLink')
        .map((item) => deps.platform.linkItem(awaited, item));
      if (links.length === 0) throw refused('it holds no ltiResourceLink');
      return reply.redirect(`/simulator?linked=${encodeURIComponent(links[0]!.id)}#links`, 303);
    },
  );
}
