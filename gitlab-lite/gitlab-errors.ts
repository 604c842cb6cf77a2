/**
 * GitLab's error bodies, shape for shape (lib/api/helpers.rb): clients such as gitbeaker build their
 * messages from them, so a stand-in must not invent its own.
 */
export class GitlabError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' ? JSON.stringify(body) : String(body));
  }
}

export const notFound = (what: string) => new GitlabError(404, { message: `404 ${what} Not Found` });
export const unauthorized = () => new GitlabError(401, { message: '401 Unauthorized' });
export const forbidden = (reason?: string) =>
  new GitlabError(403, { message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden' });
export const conflict = (message: string) => new GitlabError(409, { message });
/** Grape's own parameter validation: `{"error": "email is missing, name is missing"}`. */
export const invalidParams = (error: string) => new GitlabError(400, { error });
/** A model validation failure: `{"message": {"username": ["has already been taken"]}}`. */
export const validationFailed = (fields: Record<string, string[]>) =>
  new GitlabError(400, { message: fields });
export const routeNotFound = () => new GitlabError(404, { error: '404 Not Found' });
/** Doorkeeper's answer for a token without the scope an endpoint (or sudo) needs. */
export const insufficientScope = (scope: string) =>
  new GitlabError(403, {
    error: 'insufficient_scope',
    error_description: 'The request requires higher privileges than provided by the access token.',
    scope,
  });
