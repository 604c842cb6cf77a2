import { html, SafeHtml } from './html.ts';

const style = new SafeHtml(`
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }
  main { max-width: 44rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  h1 { font-size: 1.5rem; margin-top: 0; } .muted { color: #5b6472; font-size: .9rem; }
  table { border-collapse: collapse; } td, th { padding: .25rem .75rem .25rem 0; text-align: left; }
  code { background: #eef0f3; padding: 0 .25rem; border-radius: 3px; }
  button, .button { font: inherit; padding: .4rem .9rem; border-radius: 6px; border: 1px solid #8a94a3;
         background: #fff; cursor: pointer; text-decoration: none; color: inherit;
         white-space: nowrap; display: inline-block; }
  .primary { background: #2457c5; color: #fff; border-color: #2457c5; }
  fieldset { border: 1px solid #d5d9df; border-radius: 6px; margin: 0 0 1rem; }
  label { display: inline-block; margin: .2rem 1rem .2rem 0; }
  input[type=text] { font: inherit; padding: .25rem; width: 18rem; }
  form.inline { display: inline; } .actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; }
  form.account { display: flex; justify-content: flex-end; margin: -1rem -1rem .5rem 0; }
  form.account button { font-size: .85rem; padding: .2rem .7rem; }
`);

/**
 * Where the signed-in person's Sign out goes: filled per response by the account bar (web/account-bar.ts)
 * when the request has a session, left empty otherwise. Escaped page content can never contain it.
 */
export const accountSlot = new SafeHtml('<!--labgate:account-->');

export function page(o: { title: string; lang: string; body: SafeHtml; refreshSeconds?: number }): string {
  return html`<!doctype html>
    <html lang="${o.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${o.refreshSeconds ? html`<meta http-equiv="refresh" content="${String(o.refreshSeconds)}" />` : ''}
        <title>${o.title} · labgate</title>
        <style>
          ${style}
        </style>
      </head>
      <body>
        <main>${accountSlot}${o.body}</main>
      </body>
    </html>`.value;
}
