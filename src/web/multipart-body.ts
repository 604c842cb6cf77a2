import type { FastifyInstance } from 'fastify';
import type { FormBody } from './form-body.ts';
import { webErrors } from './web-errors.ts';

export interface FormFile {
  field: string;
  /** The base name the browser sent (never a path). */
  filename: string;
  content: Buffer;
}

/** A posted multipart form: its text fields as a FormBody (so CSRF checks read `_csrf`), and its files. */
export interface MultipartBody extends FormBody {
  files: FormFile[];
}

export const isMultipartBody = (body: unknown): body is MultipartBody =>
  typeof body === 'object' && body !== null && Array.isArray((body as MultipartBody).files);

const maxParts = 500;
const malformed = () => webErrors.badRequest('the uploaded form is malformed (multipart/form-data)');

/** A header parameter (`name="x"`); browsers write `"`, CR and LF in names as %22, %0D, %0A (HTML §4.10.21.8). */
function param(header: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(header);
  return m?.[1]?.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

/** Parses a multipart/form-data body (RFC 7578) held in memory; its size was capped by the route. */
export function parseMultipart(raw: Buffer, contentType: string): MultipartBody {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b || b.length > 200) throw malformed();
  const delimiter = Buffer.from(`\r\n--${b}`);
  const fields = new URLSearchParams();
  const files: FormFile[] = [];
  // The first delimiter may start the body, without the CRLF before it.
  let pos = raw.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2))
    ? delimiter.length - 2
    : raw.indexOf(delimiter) + delimiter.length;
  if (pos < delimiter.length - 2) throw malformed();
  for (let parts = 0; ; parts++) {
    if (raw.toString('latin1', pos, pos + 2) === '--') break;
    if (raw.toString('latin1', pos, pos + 2) !== '\r\n' || parts >= maxParts) throw malformed();
    const headerEnd = raw.indexOf('\r\n\r\n', pos + 2);
    const end = raw.indexOf(delimiter, headerEnd + 4);
    if (headerEnd < 0 || end < 0) throw malformed();
    const headers = raw.toString('utf8', pos + 2, headerEnd);
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    const content = raw.subarray(headerEnd + 4, end);
    pos = end + delimiter.length;
    if (name === undefined) continue;
    if (filename === undefined) fields.append(name, content.toString('utf8'));
    // An empty file input sends a part with no name and no bytes.
    else if (filename !== '' || content.length > 0)
      files.push({ field: name, filename: filename.split(/[/\\]/).pop()!, content: Buffer.from(content) });
  }
  return { raw, fields, files };
}

/** Accepts multipart forms of up to `bodyLimit` bytes on the routes registered in `scope`. */
export function registerMultipartParser(scope: FastifyInstance, bodyLimit: number) {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, req.headers['content-type'] ?? ''));
    } catch (err) {
      done(err as Error);
    }
  });
}
