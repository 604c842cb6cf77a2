import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import type { IMessages } from '../messages';

/** Asks before "Reset my environment", saying first that the learner's files are kept. */
export async function confirmReset(messages: IMessages): Promise<boolean> {
  const body = new Widget();
  body.addClass('labgate-GitResult');
  body.node.dataset.labgateConfirm = 'reset';
  for (const text of messages.resetBody) {
    const paragraph = document.createElement('p');
    paragraph.textContent = text;
    body.node.append(paragraph);
  }
  const result = await showDialog({
    title: messages.resetTitle,
    body,
    buttons: [
      Dialog.cancelButton({ label: messages.cancel }),
      Dialog.warnButton({ label: messages.resetOk }),
    ],
  });
  return result.button.accept;
}
