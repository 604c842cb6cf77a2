import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import type { IDisposable } from '@lumino/disposable';
import { DisposableDelegate } from '@lumino/disposable';

// What JupyterLab writes into a notebook when its kernel starts (NotebookPanel._onKernelChanged).
const KERNEL_KEYS = ['kernelspec', 'language_info'];

/** The notebook as JSON, without what the kernel rewrites on its own. */
function learnerContent(model: INotebookModel): string {
  const notebook = model.sharedModel.toJSON();
  const metadata = { ...notebook.metadata };
  for (const key of KERNEL_KEYS) delete metadata[key];
  return JSON.stringify({ ...notebook, metadata });
}

/**
 * Keeps a notebook clean when only its kernel touched it. When the kernel starts, JupyterLab writes
 * its name and language version into the notebook's metadata, which marks a notebook just opened
 * as unsaved whenever the file says otherwise ("Python 3" for "Python 3 (ipykernel)", no version).
 * The learner changed nothing: the tab should not say so, nor should Status or leaving the page.
 */
export class CleanOpenExtension implements DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> {
  createNew(_panel: NotebookPanel, context: DocumentRegistry.IContext<INotebookModel>): IDisposable {
    let saved: string | undefined;
    const model = context.model;
    // Checked once the change being announced is applied (the shared model may still be applying it),
    // never from a single look at the moment the tab turns dirty.
    const cleanSoon = () =>
      setTimeout(() => {
        if (!model.isDisposed && model.dirty && saved !== undefined && learnerContent(model) === saved)
          model.dirty = false;
      });
    const onStateChanged = (_: unknown, change: { name: string; newValue: unknown }) => {
      if (change.name !== 'dirty') return;
      if (change.newValue === false)
        saved = learnerContent(model); // loaded, saved or reverted: on disk
      else cleanSoon();
    };
    void context.ready.then(() => {
      if (!model.isDisposed && !model.dirty) saved = learnerContent(model);
    });
    model.stateChanged.connect(onStateChanged);
    return new DisposableDelegate(() => {
      if (!model.isDisposed) model.stateChanged.disconnect(onStateChanged);
    });
  }
}
