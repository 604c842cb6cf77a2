import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAppError } from '../errors.ts';
import { gitOperations, type GitOperation, type WorkspaceGit } from '../flows/index.ts';
import type { Workspace } from '../workspaces/index.ts';
import { frenchText } from './error-texts-fr.ts';
import { pickLang } from './i18n.ts';

const maxBodyBytes = 64 * 1024;
const gitApiPath = /^\/user\/[^/?#]+\/git-api\/([^/?#]*)\/?(?:\?.*)?$/;

/** The git operation a request asks for, when it is one of labgate's git API paths. */
export function gitApiOperation(url: string | undefined): string | undefined {
  return gitApiPath.exec(url ?? '')?.[1];
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      // Answered at once; the rest of the body is read and dropped so the browser sees the answer.
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * labgate's pages the extension's labgate menu leads to, on labgate's own origin (a workspace may
 * have its own): the only place these addresses are made.
 */
export function labgateLinks(publicOrigin: string) {
  return {
    signOut: new URL('/sign-out', publicOrigin).href,
    reset: new URL('/home/reset', publicOrigin).href,
  };
}

/**
 * `<workspace>/git-api/<op>`: the JupyterLab extension's buttons, answered by labgate itself on the
 * learner's folder. JSON in, JSON out; errors are `{error: {code, message}}` in the learner's language.
 * `session` (no git) tells the extension the learner's language and where labgate's pages are.
 */
export function createGitApiHandler(deps: {
  git: WorkspaceGit;
  log: { warn(o: object, msg: string): void };
  /** labgate's own origin, where sign-out and reset live. */
  publicOrigin: string;
}) {
  return async function handle(req: IncomingMessage, res: ServerResponse, ws: Workspace, locale: string) {
    const lang = pickLang({ session: locale, acceptLanguage: req.headers['accept-language'] });
    const fail = (status: number, code: string, en: string, fr: string) =>
      send(res, status, { error: { code, message: lang === 'fr' ? fr : en } });
    const op = gitApiOperation(req.url) as GitOperation | 'session';
    if (op !== 'session' && !gitOperations.includes(op))
      return fail(
        404,
        'GIT_UNKNOWN_OPERATION',
        `There is no git operation "${op}".`,
        `L’opération git « ${op} » n’existe pas.`,
      );
    if (req.method !== 'POST')
      return fail(
        405,
        'GIT_METHOD',
        'The git API answers POST requests only.',
        'L’API git ne répond qu’aux requêtes POST.',
      );
    // A JSON content type cannot be sent cross-site without a CORS preflight, which labgate never grants.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return fail(415, 'GIT_CONTENT_TYPE', 'Send the request as JSON.', 'Envoyez la requête en JSON.');
    if (op === 'session') return send(res, 200, { locale: lang, links: labgateLinks(deps.publicOrigin) });
    const text = await readBody(req);
    if (text === undefined)
      return fail(413, 'GIT_BODY_TOO_LARGE', 'The request is too large.', 'La requête est trop grande.');
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return fail(
        400,
        'GIT_BAD_JSON',
        'The request is not valid JSON.',
        'La requête n’est pas du JSON valide.',
      );
    }
    try {
      send(res, 200, await deps.git.run(ws, op, body, lang));
    } catch (err) {
      if (!isAppError(err)) {
        deps.log.warn({ err, op, workspace: ws.id }, 'git operation failed');
        return fail(
          500,
          'GIT_INTERNAL',
          'labgate hit an unexpected problem; nothing in your workspace was lost. Try again.',
          'labgate a rencontré un problème imprévu ; rien n’a été perdu dans votre espace. Réessayez.',
        );
      }
      if (err.status >= 500)
        deps.log.warn({ code: err.code, op, workspace: ws.id, details: err.details }, err.message);
      const french = lang === 'fr' ? frenchText(err) : undefined;
      const text = french ?? { message: err.message, hint: err.hint };
      send(res, err.status, {
        error: { code: err.code, message: [text.message, text.hint].filter(Boolean).join(' ') },
      });
    }
  };
}
