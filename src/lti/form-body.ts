import { launchErrors } from './lti-errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const badEscape = /%(?![0-9A-Fa-f]{2})/;

function decodeComponent(s: string): string {
  if (badEscape.test(s)) throw launchErrors.malformed('a "%" is not followed by two hexadecimal digits');
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw launchErrors.notUtf8();
  }
}

/**
 * Decodes application/x-www-form-urlencoded text into ordered pairs, keeping duplicates, refusing
 * bytes or escapes that are not UTF-8. Flat on purpose: nested parsers (qs) change what was signed.
 */
export function parseFormPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    pairs.push([name, value]);
  }
  return pairs;
}

export function decodeFormBody(body: Buffer): Array<[string, string]> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw launchErrors.notUtf8();
  }
  return parseFormPairs(text);
}
