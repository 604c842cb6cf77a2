import type { IMainMenu } from '@jupyterlab/mainmenu';
import type { CommandRegistry } from '@lumino/commands';
import { Menu } from '@lumino/widgets';

import type { SessionModel } from '../session-model';
import { ACCOUNT_ACTIONS, ACCOUNT_COMMAND_IDS, COMMAND_IDS, GIT_OPERATIONS } from '../tokens';

/** A "labgate" menu in the main menu bar: the git operations, then reset and sign out. */
export function addLabgateMenu(mainMenu: IMainMenu, commands: CommandRegistry, session: SessionModel): Menu {
  const menu = new Menu({ commands });
  menu.id = 'labgate-menu';
  menu.title.label = session.messages.category;
  session.changed.connect(() => {
    menu.title.label = session.messages.category;
  });
  for (const operation of GIT_OPERATIONS) menu.addItem({ command: COMMAND_IDS[operation] });
  menu.addItem({ type: 'separator' });
  for (const action of ACCOUNT_ACTIONS) menu.addItem({ command: ACCOUNT_COMMAND_IDS[action] });
  mainMenu.addMenu(menu, true, { rank: 90 });
  return menu;
}
