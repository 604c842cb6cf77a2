import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedLaunchUrl } from '../../lti/index.ts';
import type {
  AgsAnswer,
  AgsCall,
  Gradebook,
  OutcomesReceiver,
  Outage,
  SimulatorPlatform,
} from '../../simulator/index.ts';
import { isFormBody } from '../form-body.ts';

export interface SimulatorGradesRouteDeps {
  publicBaseUrl: URL;
  platform: Pick<SimulatorPlatform, 'tokens' | 'ags' | 'gradebook'>;
  outcomes: Pick<OutcomesReceiver, 'receive'>;
  outage: Pick<Outage, 'takeCall'>;
}

type Endpoint = Parameters<Gradebook['refuse']>[0]['endpoint'];
type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const rawBody = (body: unknown): Buffer =>
  Buffer.isBuffer(body) ? body : isFormBody(body) ? body.raw : Buffer.alloc(0);

const agsPath = '/simulator/lti13/ags/:context/lineitems';
const itemPath = `${agsPath}/:item/lineitem`;

/**
 * The simulated LMS's grade services, as labgate's passback meets them: LTI 1.1 Basic Outcomes, the
 * LTI 1.3 token endpoint and AGS. A simulated outage answers them 500 before anything else.
 */
export function registerSimulatorGradesRoutes(server: FastifyInstance, deps: SimulatorGradesRouteDeps) {
  const { gradebook, tokens, ags } = deps.platform;

  const guarded =
    (lti: '1.1' | '1.3', endpoint: Endpoint, handler: Handler): Handler =>
    async (request, reply) => {
      if (!deps.outage.takeCall()) return handler(request, reply);
      gradebook.refuse({ lti, endpoint, status: 500, error: 'outage', reason: 'simulated outage' });
      return reply.status(500).type('text/plain; charset=utf-8').send('Simulated outage of the LMS.\n');
    };

  const agsCall = (request: FastifyRequest): AgsCall => {
    const params = request.params as { context: string; item?: string };
    return {
      context: params.context,
      ...(params.item ? { item: params.item } : {}),
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      query: (request.query ?? {}) as Record<string, unknown>,
      body: rawBody(request.body),
    };
  };

  const send = (reply: FastifyReply, a: AgsAnswer) => {
    reply.status(a.status).headers({ 'cache-control': 'no-store', ...a.headers });
    if (a.body === undefined) return reply.send();
    return reply.type(a.type ?? 'application/json').send(JSON.stringify(a.body));
  };

  const ags13 = (endpoint: Endpoint, run: (call: AgsCall) => AgsAnswer) =>
    guarded('1.3', endpoint, async (request, reply) => send(reply, run(agsCall(request))));

  // Machine-to-machine calls with their own proof (OAuth 1 signature, JWT, bearer token): no CSRF token.
  const exempt = { config: { csrfExempt: true } };

  // XML and AGS's JSON media types reach the handlers as bytes: signatures and hashes are on them.
  void server.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(
      '/simulator/lti11/outcomes',
      exempt,
      guarded('1.1', 'outcomes', async (request, reply) => {
        const answer = await deps.outcomes.receive({
          url: signedLaunchUrl(deps.publicBaseUrl, request.url),
          headers: request.headers,
          body: rawBody(request.body),
        });
        return reply.status(answer.status).type('application/xml; charset=utf-8').send(answer.xml);
      }),
    );

    scope.post(
      '/simulator/lti13/token',
      exempt,
      guarded('1.3', 'token', async (request, reply) => {
        const form = isFormBody(request.body) ? request.body.fields : new URLSearchParams();
        const answer = await tokens.issueToken(form);
        return reply
          .status(answer.status)
          .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(answer.body));
      }),
    );

    scope.get(agsPath, ags13('lineitems', ags.listLineItems));
    scope.post(agsPath, exempt, ags13('lineitems', ags.createLineItem));
    scope.get(itemPath, ags13('lineitem', ags.getLineItem));
    scope.post(`${itemPath}/scores`, exempt, ags13('scores', ags.postScore));
    scope.get(`${itemPath}/results`, ags13('results', ags.listResults));
  });
}
