import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { ITranslator } from '@jupyterlab/translation';

import { createGitApi } from './api';
import { registerGitCommands } from './commands';
import { pickMessages } from './messages';
import { GitActionsModel } from './model';
import { PLUGIN_ID } from './tokens';
import { addGitMenu } from './widgets/git-menu';
import { GitToolbarExtension } from './widgets/toolbar-buttons';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "Status, Commit & push, Pull and Open in GitLab, backed by labgate's git API.",
  autoStart: true,
  optional: [ICommandPalette, IMainMenu, IDefaultFileBrowser, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    mainMenu: IMainMenu | null,
    fileBrowser: IDefaultFileBrowser | null,
    translator: ITranslator | null,
  ) => {
    const messages = pickMessages([translator?.languageCode, navigator.language]);
    const model = new GitActionsModel();
    const context = { shell: app.shell, api: createGitApi(), messages, fileBrowser };
    registerGitCommands(app, model, context, palette);
    app.docRegistry.addWidgetExtension('Notebook', new GitToolbarExtension(app.commands, model));
    if (mainMenu) addGitMenu(mainMenu, app.commands, messages.category);
  },
};

export default plugin;
