import type { IMainMenu } from '@jupyterlab/mainmenu';
import type { CommandRegistry } from '@lumino/commands';
import { Menu } from '@lumino/widgets';

import { COMMAND_IDS, GIT_OPERATIONS } from '../tokens';

/** A "Git" menu in the main menu bar with the four operations. */
export function addGitMenu(mainMenu: IMainMenu, commands: CommandRegistry, title: string): Menu {
  const menu = new Menu({ commands });
  menu.id = 'labgate-git-menu';
  menu.title.label = title;
  for (const operation of GIT_OPERATIONS) menu.addItem({ command: COMMAND_IDS[operation] });
  mainMenu.addMenu(menu, true, { rank: 90 });
  return menu;
}
