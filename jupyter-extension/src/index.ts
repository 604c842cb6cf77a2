import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { ITranslator } from '@jupyterlab/translation';

import { createGitApi } from './api';
import { CleanOpenExtension } from './clean-open';
import { registerCommands } from './commands';
import { GitActionsModel } from './model';
import { SessionModel } from './session-model';
import { PLUGIN_ID } from './tokens';
import { addLabgateMenu } from './widgets/labgate-menu';
import { GitToolbarExtension } from './widgets/toolbar-buttons';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    "Status, Commit & push, Pull and Open in GitLab, backed by labgate's git API; reset and sign out.",
  autoStart: true,
  optional: [ICommandPalette, IMainMenu, IDefaultFileBrowser, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    mainMenu: IMainMenu | null,
    fileBrowser: IDefaultFileBrowser | null,
    translator: ITranslator | null,
  ) => {
    const session = new SessionModel([translator?.languageCode, navigator.language]);
    const model = new GitActionsModel();
    const api = createGitApi();
    const context = {
      shell: app.shell,
      api,
      fileBrowser,
      session,
      get messages() {
        return session.messages;
      },
    };
    registerCommands(app, model, session, context, palette);
    app.docRegistry.addWidgetExtension('Notebook', new GitToolbarExtension(app.commands, model));
    app.docRegistry.addWidgetExtension('Notebook', new CleanOpenExtension());
    if (mainMenu) addLabgateMenu(mainMenu, app.commands, session);
    // The LMS's language, from labgate: the texts drawn until it answers follow it from then on.
    void api.session().then((outcome) => {
      if (outcome.kind === 'done') session.update(outcome.value);
    });
  },
};

export default plugin;
