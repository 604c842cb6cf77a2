import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { LabIcon } from '@jupyterlab/ui-components';
import {
  checkIcon,
  downloadIcon,
  fileUploadIcon,
  infoIcon,
  launchIcon,
  refreshIcon,
  userIcon,
} from '@jupyterlab/ui-components';

import type { IAccountContext } from './account';
import { ACCOUNT_FLOWS } from './account';
import type { GitActionsModel } from './model';
import type { IOperationContext } from './operations';
import { GIT_FLOWS } from './operations';
import type { SessionModel } from './session-model';
import type { AccountAction, GitOperation } from './tokens';
import { ACCOUNT_ACTIONS, ACCOUNT_COMMAND_IDS, COMMAND_IDS, GIT_OPERATIONS } from './tokens';

const ICONS: Readonly<Record<GitOperation | AccountAction, LabIcon>> = {
  status: infoIcon,
  commit: fileUploadIcon,
  pull: downloadIcon,
  open: launchIcon,
  check: checkIcon,
  reset: refreshIcon,
  signOut: userIcon,
};

/**
 * The labgate commands, shared by the notebook toolbar, the command palette and the labgate menu.
 * Their words follow the session's language, which labgate may tell after they are drawn.
 */
export function registerCommands(
  app: JupyterFrontEnd,
  model: GitActionsModel,
  session: SessionModel,
  context: IOperationContext & IAccountContext,
  palette: ICommandPalette | null,
): void {
  const words = (name: GitOperation | AccountAction) => ({
    label: () => session.messages.labels[name],
    caption: () => session.messages.captions[name],
    icon: ICONS[name],
  });
  for (const operation of GIT_OPERATIONS) {
    app.commands.addCommand(COMMAND_IDS[operation], {
      ...words(operation),
      isEnabled: () => !model.busy,
      execute: () => model.run(operation, () => GIT_FLOWS[operation](context)),
    });
  }
  for (const action of ACCOUNT_ACTIONS) {
    app.commands.addCommand(ACCOUNT_COMMAND_IDS[action], {
      ...words(action),
      // Signing out never waits: the server finishes what it was doing anyway.
      isEnabled: () => action === 'signOut' || !model.busy,
      execute: () => ACCOUNT_FLOWS[action](context),
    });
  }
  const ids = [
    ...GIT_OPERATIONS.map((op) => COMMAND_IDS[op]),
    ...ACCOUNT_ACTIONS.map((a) => ACCOUNT_COMMAND_IDS[a]),
  ];
  // The category is "labgate" in every language: it need not follow the session.
  for (const command of ids) palette?.addItem({ command, category: session.messages.category });
  // Every surface (toolbar buttons, menu, palette) re-reads labels and isEnabled when told.
  const refresh = () => ids.forEach((id) => app.commands.notifyCommandChanged(id));
  model.runningChanged.connect(refresh);
  session.changed.connect(refresh);
}
