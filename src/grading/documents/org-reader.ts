import { block, type Block, type Document } from './document.ts';

const headline = /^(\*+)\s+(.*?)\s*$/;
const beginSrc = /^\s*#\+begin_src(?:\s+(\S+))?(.*)$/i;
const endSrc = /^\s*#\+end_src\s*$/i;
const name = /^\s*#\+name:\s*(.+?)\s*$/i;
const results = /^\s*#\+results(?:\[.*?\])?:/i;

/**
 * Org-mode as blocks: one prose block per headline (keyed by its outline path), one code block per
 * `#+BEGIN_SRC` (keyed by its `#+NAME`), and `#+RESULTS:` kept as that block's output.
 */
export function readOrg(textContent: string): Document {
  const lines = textContent.split(/(?<=\n)/);
  const blocks: Block[] = [];
  const keys = new Set<string>();
  const uniqueKey = (k: string | undefined) => (k && !keys.has(k) ? (keys.add(k), k) : undefined);
  const outline: string[] = [];
  let prose: string[] = [];
  let proseKey: string | undefined;
  let pendingName: string | undefined;
  const flushProse = () => {
    if (prose.some((l) => l.trim()))
      blocks.push(block({ kind: 'prose', key: uniqueKey(proseKey), source: prose.join('') }));
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\n$/, '');
    const h = headline.exec(line);
    if (h) {
      flushProse();
      outline.length = h[1]!.length - 1;
      outline.push(h[2]!);
      proseKey = outline.join(' / ');
      prose.push(lines[i]!);
      continue;
    }
    const n = name.exec(line);
    if (n) {
      pendingName = n[1];
      continue;
    }
    const src = beginSrc.exec(line);
    if (src) {
      flushProse();
      let j = i + 1;
      while (j < lines.length && !endSrc.test(lines[j]!.replace(/\n$/, ''))) j++;
      blocks.push(
        block({
          kind: 'code',
          key: uniqueKey(pendingName),
          lang: src[1]?.toLowerCase(),
          source: lines.slice(i, Math.min(j + 1, lines.length)).join(''),
          metadata: src[2]!.trim() ? { header: src[2]!.trim() } : {},
        }),
      );
      pendingName = undefined;
      i = j;
      continue;
    }
    if (results.test(line) && blocks.at(-1)?.kind === 'code') {
      let j = i + 1;
      while (j < lines.length && /^\s*:( |$)/.test(lines[j]!)) j++;
      const text = lines
        .slice(i + 1, j)
        .map((l) => l.replace(/^\s*: ?/, ''))
        .join('');
      blocks.at(-1)!.outputs.push({ type: 'stream', name: 'results', text });
      i = j - 1;
      continue;
    }
    prose.push(lines[i]!);
  }
  flushProse();
  return { format: 'org', blocks, metadata: {}, notes: [] };
}
