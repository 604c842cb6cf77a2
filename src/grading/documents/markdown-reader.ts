import { block, type Block, type Document } from './document.ts';

const fenceOpen = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/;
const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** `{r label, echo=FALSE}` → lang r, label, options (R Markdown / Quarto chunk header). */
function chunkHeader(info: string): {
  lang: string | undefined;
  label: string | undefined;
  options: Record<string, string>;
} {
  const braced = /^\{\s*([A-Za-z0-9_]+)\s*,?\s*(.*?)\s*\}\s*$/.exec(info);
  if (!braced) return { lang: info.split(/\s+/)[0] || undefined, label: undefined, options: {} };
  const options: Record<string, string> = {};
  let label: string | undefined;
  for (const [i, part] of braced[2]!
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .entries()) {
    const eq = part.indexOf('=');
    if (eq < 0 && i === 0) label = part;
    else if (eq > 0) options[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (options.label) label = options.label.replace(/^["']|["']$/g, '');
  return { lang: braced[1]!.toLowerCase(), label, options };
}

/**
 * Markdown and R Markdown as blocks: the YAML front matter, one prose block per heading section, and
 * one code block per fenced chunk, keyed by its R Markdown label (or `#| label:`) when it has one.
 */
export function readMarkdown(textContent: string, format: 'markdown' | 'rmarkdown'): Document {
  const lines = textContent.split(/(?<=\n)/);
  const blocks: Block[] = [];
  const keys = new Set<string>();
  const uniqueKey = (k: string | undefined) => (k && !keys.has(k) ? (keys.add(k), k) : undefined);
  let prose: string[] = [];
  let proseKey: string | undefined;
  const flushProse = () => {
    if (prose.some((l) => l.trim()))
      blocks.push(block({ kind: 'prose', key: uniqueKey(proseKey), source: prose.join('') }));
    else if (prose.length && blocks.length) blocks[blocks.length - 1]!.source += prose.join('');
    prose = [];
    proseKey = undefined;
  };
  let i = 0;
  if (lines[0]?.trimEnd() === '---') {
    const end = lines.findIndex((l, j) => j > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) {
      blocks.push(
        block({ kind: 'frontmatter', key: 'front matter', source: lines.slice(0, end + 1).join('') }),
      );
      i = end + 1;
    }
  }
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = fenceOpen.exec(line.replace(/\n$/, ''));
    if (fence) {
      flushProse();
      const marker = fence[1]!;
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j]!.replace(/\n$/, ''))) j++;
      const body = lines.slice(i + 1, j).join('');
      const header = chunkHeader(fence[2]!);
      const pipeLabel = /^#\|\s*label:\s*(\S+)/m.exec(body)?.[1];
      blocks.push(
        block({
          kind: 'code',
          key: uniqueKey(header.label ?? pipeLabel),
          lang: header.lang,
          source: lines.slice(i, Math.min(j + 1, lines.length)).join(''),
          metadata: header.options,
        }),
      );
      i = j + 1;
      continue;
    }
    const h = heading.exec(line.replace(/\n$/, ''));
    if (h) {
      flushProse();
      proseKey = `${h[1]} ${h[2]}`;
    }
    prose.push(line);
    i++;
  }
  flushProse();
  return { format, blocks, metadata: {}, notes: [] };
}
