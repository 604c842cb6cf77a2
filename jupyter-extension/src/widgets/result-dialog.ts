import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import type { IMessages } from '../messages';
import type { IResultSummary, SummaryBlock } from '../summaries';

/** Shows an operation's outcome; `data-git-result` / `data-git-outcome` let browser tests read it. */
export async function showResultDialog(summary: IResultSummary, messages: IMessages): Promise<void> {
  await showDialog({
    title: summary.title,
    body: createResultBody(summary),
    buttons: [Dialog.okButton({ label: messages.close })],
  });
}

export function createResultBody(summary: IResultSummary): Widget {
  const body = new Widget();
  body.addClass('labgate-GitResult');
  const { dataset } = body.node;
  dataset.gitResult = summary.operation;
  dataset.gitOutcome = summary.succeeded ? 'success' : 'error';
  if (summary.errorCode) dataset.gitErrorCode = summary.errorCode;
  body.node.setAttribute('role', summary.succeeded ? 'status' : 'alert');
  for (const block of summary.blocks) body.node.append(...renderBlock(block));
  return body;
}

function renderBlock(block: SummaryBlock): HTMLElement[] {
  const paragraph = document.createElement('p');
  if (block.kind === 'diff') {
    paragraph.textContent = block.heading;
    const pre = document.createElement('pre');
    pre.className = 'labgate-CheckDiff';
    for (const line of block.lines) {
      const row = document.createElement('div');
      row.dataset.diffOp = line.op;
      row.textContent = `${line.op === 'add' ? '+' : line.op === 'remove' ? '−' : ' '} ${line.text.replace(/\n$/, '')}`;
      pre.append(row);
    }
    return [paragraph, pre];
  }
  if (block.kind === 'sentence') {
    paragraph.textContent = block.text;
    return [paragraph];
  }
  paragraph.textContent = block.heading;
  const items = document.createElement('ul');
  for (const text of block.items) {
    const item = document.createElement('li');
    item.textContent = text;
    items.append(item);
  }
  return [paragraph, items];
}
