import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableDelegate } from '@lumino/disposable';

import type { GitActionsModel } from '../model';
import { COMMAND_IDS, GIT_OPERATIONS } from '../tokens';

const BUSY_CLASS = 'labgate-mod-busy';
const RUNNING_CLASS = 'labgate-mod-running';

/** Adds Status, Commit & push, Pull and Open in GitLab to every notebook's toolbar. */
export class GitToolbarExtension implements DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> {
  constructor(
    private readonly commands: CommandRegistry,
    private readonly model: GitActionsModel,
  ) {}

  createNew(panel: NotebookPanel): IDisposable {
    const buttons = GIT_OPERATIONS.map((operation) => {
      const button = new CommandToolbarButton({ commands: this.commands, id: COMMAND_IDS[operation] });
      button.addClass('labgate-GitButton');
      button.node.dataset.gitAction = operation;
      panel.toolbar.addItem(`labgate-git-${operation}`, button);
      return { operation, button };
    });
    const showRunning = () => {
      for (const { operation, button } of buttons) {
        button.toggleClass(BUSY_CLASS, this.model.busy);
        button.toggleClass(RUNNING_CLASS, this.model.running === operation);
        button.node.setAttribute('aria-busy', String(this.model.running === operation));
      }
    };
    showRunning();
    this.model.runningChanged.connect(showRunning);
    return new DisposableDelegate(() => {
      this.model.runningChanged.disconnect(showRunning);
      for (const { button } of buttons) button.dispose();
    });
  }
}
