import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';

import type { IMessages } from './messages';
import { pickMessages } from './messages';
import type { ISessionInfo } from './responses';

export interface ILabgateLinks {
  readonly signOut: string;
  readonly reset: string;
}

/**
 * The learner's session as labgate knows it: the LMS's language every text follows, and where
 * labgate's own pages are. Until labgate has said, JupyterLab's or the browser's language, and
 * labgate's pages on this origin (right when workspaces share labgate's origin).
 */
export class SessionModel {
  private _messages: IMessages;
  private _links: ILabgateLinks;
  private readonly _changed = new Signal<this, void>(this);

  constructor(fallbackLanguages: readonly (string | null | undefined)[]) {
    this._messages = pickMessages(fallbackLanguages);
    this._links = {
      signOut: new URL('/sign-out', window.location.origin).href,
      reset: new URL('/home/reset', window.location.origin).href,
    };
  }

  get messages(): IMessages {
    return this._messages;
  }

  get links(): ILabgateLinks {
    return this._links;
  }

  /** Emitted when labgate's answer changed the language or the links. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  update(info: ISessionInfo): void {
    this._messages = pickMessages([info.locale]);
    this._links = info.links;
    this._changed.emit();
  }
}
