import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { LabIcon } from '@jupyterlab/ui-components';
import { checkIcon, downloadIcon, fileUploadIcon, infoIcon, launchIcon } from '@jupyterlab/ui-components';

import type { GitActionsModel } from './model';
import type { IOperationContext } from './operations';
import { GIT_FLOWS } from './operations';
import type { GitOperation } from './tokens';
import { COMMAND_IDS, GIT_OPERATIONS } from './tokens';

const ICONS: Readonly<Record<GitOperation, LabIcon>> = {
  status: infoIcon,
  commit: fileUploadIcon,
  pull: downloadIcon,
  open: launchIcon,
  check: checkIcon,
};

/** The four commands, shared by the notebook toolbar, the command palette and the Git menu. */
export function registerGitCommands(
  app: JupyterFrontEnd,
  model: GitActionsModel,
  context: IOperationContext,
  palette: ICommandPalette | null,
): void {
  const { messages } = context;
  for (const operation of GIT_OPERATIONS) {
    app.commands.addCommand(COMMAND_IDS[operation], {
      label: messages.labels[operation],
      caption: messages.captions[operation],
      icon: ICONS[operation],
      isEnabled: () => !model.busy,
      execute: () => model.run(operation, () => GIT_FLOWS[operation](context)),
    });
    palette?.addItem({ command: COMMAND_IDS[operation], category: messages.category });
  }
  // Every surface (toolbar buttons, menu, palette) re-reads isEnabled when told the commands changed.
  model.runningChanged.connect(() => {
    for (const operation of GIT_OPERATIONS) app.commands.notifyCommandChanged(COMMAND_IDS[operation]);
  });
}
