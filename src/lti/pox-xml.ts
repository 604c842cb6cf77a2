import { outcomeErrors } from './outcome-errors.ts';

/** The one namespace of LTI 1.1 Basic Outcomes; Open edX's XPath finds nothing without it. */
export const imsOutcomesNamespace = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  namespace: string | undefined;
  children: XmlElement[];
  /** Character data directly inside this element, entities and CDATA resolved. */
  text: string;
}

// XML 1.0 §2.2 Char: tab, LF, CR and everything from U+0020 except surrogates (paired ones are fine) and U+FFFE/F.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** True when XML 1.0 can carry the text as it is (checked before storing what will be sent as XML). */
export const isXmlText = (value: string): boolean => !notXmlChar.test(value);

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** Escapes text for element content. CR as a reference, since parsers turn a literal CR LF into LF. */
export function escapeXml(value: string, field: string): string {
  if (notXmlChar.test(value)) throw outcomeErrors.badText(field);
  return value.replace(/[&<>"'\r]/g, (c) => escapes[c]!);
}

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw outcomeErrors.badXml('a "&" does not start an entity reference');
    if (named[ref]) return named[ref];
    const code = /^#x[0-9a-f]+$/i.test(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#\d+$/.test(ref)
        ? Number(ref.slice(1))
        : NaN;
    if (!Number.isNaN(code) && code <= 0x10ffff) {
      const char = String.fromCodePoint(code);
      if (!notXmlChar.test(char)) return char;
    }
    // Only the five predefined entities exist without a DOCTYPE, and we refuse DOCTYPEs.
    throw outcomeErrors.badXml(`the entity reference "&${ref};" is not allowed`);
  });
}

const token =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|</g;
const attribute = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Open {
  element: XmlElement;
  qname: string;
  scope: Map<string, string>;
}

function openElement(qname: string, attrs: string, parent: Open | undefined): Open {
  const scope = new Map(parent?.scope);
  for (const [, name, dq, sq] of attrs.matchAll(attribute)) {
    if (name === 'xmlns') scope.set('', unescapeXml(dq ?? sq ?? ''));
    else if (name!.startsWith('xmlns:')) scope.set(name!.slice(6), unescapeXml(dq ?? sq ?? ''));
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  if (prefix && !scope.has(prefix)) throw outcomeErrors.badXml(`the prefix "${prefix}" is not declared`);
  const element = {
    name: qname.slice(colon + 1),
    namespace: scope.get(prefix) || undefined,
    children: [],
    text: '',
  };
  parent?.element.children.push(element);
  return { element, qname, scope };
}

/**
 * Reads a small XML document into elements, without a library and without DTDs: a DOCTYPE (hence any
 * custom entity, "billion laughs" or external entity) is refused, not evaluated.
 */
export function parseXml(xml: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  for (const m of xml.replace(/^\uFEFF/, '').matchAll(token)) {
    const [whole, cdata, close, open, attrs, selfClose, text] = m;
    const top = stack.at(-1);
    if (whole === '<!') throw outcomeErrors.badXml('DOCTYPE and other declarations are refused');
    if (whole === '<') throw outcomeErrors.badXml(`a "<" at offset ${m.index} does not start a tag`);
    if (whole.startsWith('<!--') || whole.startsWith('<?')) continue;
    if (cdata !== undefined || text !== undefined) {
      const content = cdata ?? unescapeXml(text!);
      if (top) top.element.text += content;
      else if (content.trim()) throw outcomeErrors.badXml('there is text outside the root element');
    } else if (close !== undefined) {
      if (top?.qname !== close) throw outcomeErrors.badXml(`the closing tag </${close}> does not match`);
      stack.pop();
    } else {
      if (!top && root) throw outcomeErrors.badXml('there is more than one root element');
      const opened = openElement(open!, attrs ?? '', top);
      root ??= opened.element;
      if (!selfClose) stack.push(opened);
    }
  }
  if (!root) throw outcomeErrors.badXml('the document is empty');
  if (stack.length) throw outcomeErrors.badXml(`<${stack.at(-1)!.qname}> is never closed`);
  return root;
}

/** Follows child names from `from`; the first match at each step, undefined when a step is missing. */
export function findPath(from: XmlElement, ...names: string[]): XmlElement | undefined {
  let at: XmlElement | undefined = from;
  for (const name of names) at = at?.children.find((c) => c.name === name);
  return at;
}
