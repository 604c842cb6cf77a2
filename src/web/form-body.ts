import type { FastifyInstance } from 'fastify';

/** A posted HTML form: the exact bytes (LTI signatures are checked on them) and its fields, first value wins. */
export interface FormBody {
  raw: Buffer;
  fields: URLSearchParams;
}

export const isFormBody = (body: unknown): body is FormBody =>
  typeof body === 'object' && body !== null && Buffer.isBuffer((body as FormBody).raw);

export function registerFormBodyParser(server: FastifyInstance) {
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_req, raw, done) => {
      const buffer = raw as Buffer;
      done(null, { raw: buffer, fields: new URLSearchParams(buffer.toString('utf8')) } satisfies FormBody);
    },
  );
}
