/** An origin nobody else can have: a path that resolves away from it names another site. */
const probe = 'http://labgate.invalid';

// Browsers drop tabs and newlines inside URLs and read `\` as `/`, so `/\tevil` or `/\evil` become `//evil`.
// Format characters (U+200B, bidi overrides) are refused too: a path shown to a person must read as it goes.
const unsafe = /[\p{Cc}\p{Cf}\p{Z}\s\\]/u;

/**
 * The labgate path `value` names, normalized, or undefined when it is anything else: not a string, not
 * starting with one `/`, holding whitespace, control characters or backslashes, or leaving labgate's origin.
 * Every redirect to a path that came from a request goes through here (no open redirect).
 */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || unsafe.test(value)) return undefined;
  if (!URL.canParse(value, probe)) return undefined;
  const url = new URL(value, probe);
  if (url.origin !== probe) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? undefined : path;
}

/** {@link localPath}, or `fallback` (a constant labgate path) when `value` is not a safe one. */
export const localPathOr = (value: unknown, fallback: string): string => localPath(value) ?? fallback;
