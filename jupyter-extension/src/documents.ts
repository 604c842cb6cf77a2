import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { DocumentWidget } from '@jupyterlab/docregistry';

type Shell = JupyterFrontEnd.IShell;

/** The contexts of every document open in the main area, once each (a document may have several views). */
export function openDocumentContexts(shell: Shell): DocumentRegistry.Context[] {
  const contexts = new Set<DocumentRegistry.Context>();
  for (const widget of shell.widgets('main')) {
    if (widget instanceof DocumentWidget) contexts.add(widget.context);
  }
  return [...contexts];
}

const unsaved = (shell: Shell) =>
  openDocumentContexts(shell).filter((context) => context.model.dirty && !context.model.readOnly);

/** Saves open documents with unsaved changes, so that git sees what the learner sees. */
export async function saveDirtyDocuments(shell: Shell): Promise<void> {
  await Promise.all(unsaved(shell).map((context) => context.save()));
}

/** Repository paths of the open documents with unsaved changes (what Commit & push saves first). */
export function unsavedDocumentPaths(shell: Shell): string[] {
  return unsaved(shell).map((context) => normalizePath(context.localPath));
}

/** Reloads from disk the open documents a pull rewrote, as jupyterlab-git does after a pull. */
export async function revertDocuments(shell: Shell, repositoryPaths: ReadonlySet<string>): Promise<void> {
  const changed = openDocumentContexts(shell).filter((context) =>
    repositoryPaths.has(normalizePath(context.localPath)),
  );
  await Promise.all(changed.map((context) => context.revert()));
}

/** Path of the document the learner is looking at, relative to the server root ('' when none). */
export function currentDocumentPath(shell: Shell): string {
  const widget = shell.currentWidget;
  return widget instanceof DocumentWidget ? normalizePath(widget.context.localPath) : '';
}

// The server root is the repository root, so a contents path is a repository path minus any leading slash.
export function normalizePath(path: string): string {
  return path.replace(/^\/+/, '');
}
