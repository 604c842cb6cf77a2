import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Gradebook, Outage } from '../../simulator/index.ts';
import { isFormBody } from '../form-body.ts';
import { pickLang } from '../i18n.ts';
import { gradebookPage, type GradebookReport } from '../pages/gradebook-page.ts';
import { webErrors } from '../web-errors.ts';

export interface SimulatorGradebookRouteDeps {
  publicBaseUrl: URL;
  gradebook: Pick<Gradebook, 'snapshot'>;
  outage: Pick<Outage, 'start' | 'state'>;
}

const count = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? Number(v) : undefined))
    .refine((n) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= max), {
      message: `a count is a whole number from 0 to ${max}`,
    });

const outageForm = z
  .object({ requests: count(1000), seconds: count(86_400) })
  .refine((f) => f.requests !== undefined || f.seconds !== undefined, {
    message: 'give requests=N or seconds=S (0 ends the outage)',
  });

/** The simulated LMS's gradebook as a page and as JSON, and the switch of its simulated outage. */
export function registerSimulatorGradebookRoutes(server: FastifyInstance, deps: SimulatorGradebookRouteDeps) {
  const report = (): GradebookReport => ({ ...deps.gradebook.snapshot(), outage: deps.outage.state() });

  server.get('/simulator/gradebook', async (request, reply) => {
    const lang = pickLang({
      query: (request.query as { lang?: string } | undefined)?.lang,
      acceptLanguage: request.headers['accept-language'],
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(gradebookPage(report(), lang));
  });

  server.get('/simulator/gradebook.json', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(report()),
  );

  // The simulator's own page posts this without a labgate session; only its own origin may.
  server.post('/simulator/gradebook/outage', { config: { csrfExempt: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== deps.publicBaseUrl.origin)
      throw webErrors.csrf(`it came from ${origin}`);
    if (!isFormBody(request.body)) throw webErrors.formType();
    const parsed = outageForm.safeParse(Object.fromEntries(request.body.fields));
    if (!parsed.success) throw webErrors.badRequest(parsed.error.issues[0]!.message);
    deps.outage.start(parsed.data);
    if (request.headers.accept?.includes('application/json'))
      return reply.send({ outage: deps.outage.state() });
    return reply.redirect('/simulator/gradebook#outage', 303);
  });
}
