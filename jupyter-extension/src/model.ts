import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';

import type { GitOperation } from './tokens';

/** Which git operation is running, if any: only one at a time, so every button waits for it. */
export class GitActionsModel {
  private _running: GitOperation | null = null;
  private readonly _runningChanged = new Signal<this, GitOperation | null>(this);

  get running(): GitOperation | null {
    return this._running;
  }

  get busy(): boolean {
    return this._running !== null;
  }

  get runningChanged(): ISignal<this, GitOperation | null> {
    return this._runningChanged;
  }

  /** Runs `task` unless another operation is under way (then does nothing and returns false). */
  async run(operation: GitOperation, task: () => Promise<void>): Promise<boolean> {
    if (this._running !== null) return false;
    this.setRunning(operation);
    try {
      await task();
      return true;
    } finally {
      this.setRunning(null);
    }
  }

  private setRunning(operation: GitOperation | null): void {
    this._running = operation;
    this._runningChanged.emit(operation);
  }
}
