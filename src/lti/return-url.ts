/**
 * The LMS's "return to course" URL is author-controlled: keep it only when its origin is the one
 * registered for this LMS (lti.md §9.7), so labgate never becomes an open redirect.
 */
export function returnUrlFor(
  candidate: string | undefined,
  allowedOrigin: string | undefined,
): string | undefined {
  if (!candidate || !allowedOrigin || !URL.canParse(candidate)) return undefined;
  const url = new URL(candidate);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.origin === new URL(allowedOrigin).origin ? url.href : undefined;
}
