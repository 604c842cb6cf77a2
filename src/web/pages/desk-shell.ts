import { html, SafeHtml } from './html.ts';
import { accountSlot } from './layout.ts';

const style = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }
  main { max-width: 110rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; background: #fff; min-height: 100vh; }
  h1 { font-size: 1.4rem; margin: .3rem 0; } h2 { font-size: 1.1rem; } .muted { color: #5b6472; font-size: .9rem; }
  code { background: #eef0f3; padding: 0 .25rem; border-radius: 3px; }
  a.button, button { font: inherit; padding: .25rem .7rem; border-radius: 6px; border: 1px solid #8a94a3;
    background: #fff; cursor: pointer; text-decoration: none; color: inherit; }
  nav.desk { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; }
  table.grades { border-collapse: collapse; margin: .5rem 0; } table.grades td, table.grades th { padding: .1rem .8rem .1rem 0; text-align: left; }
  .late { color: #b3261e; font-weight: 600; } .ontime { color: #1a7f37; }
  .problem { color: #b3261e; }
  form.pick { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: .8rem 0; }
  .panel { margin: .4rem 0; } .panel > label, .panel h3 { display: block; margin: .3rem 0; } .panel h3 { font-size: 1rem; }
  .panel textarea, .comment textarea { display: block; width: 100%; box-sizing: border-box; min-height: 3.2rem; font: inherit; }
  .panel input[type=number] { width: 5rem; font: inherit; }
  .checks { list-style: none; padding: 0; margin: .3rem 0; } .checks li { margin: .15rem 0; }
  .checks .passed::before { content: "✓ "; color: #1a7f37; } .checks .failed::before { content: "✗ "; color: #b3261e; }
  .tag { font-size: .75rem; border: 1px solid #8a94a3; border-radius: 3px; padding: 0 .25rem; margin-left: .3rem; }
  .rubric label { display: block; } .save-state { min-height: 1.2em; margin: .2rem 0; font-size: .85rem; }
  .save-state[data-state=error], .save-state[data-state=conflict] { color: #b3261e; }
  .conflict { border: 1px solid #b3261e; border-radius: 4px; padding: .3rem; background: #fff4f3; }
  .comment { border-top: 1px dashed #c5cbd3; padding-top: .3rem; margin-top: .3rem; }
  .comment .where { font-size: .8rem; font-weight: 600; }
  .review-diff td.ln { cursor: pointer; } .review-diff td.code.commented { box-shadow: inset 3px 0 #0969da; }
  .add-comment { font-size: .8rem; margin: .2rem .5rem; }
  form.account { float: right; } form.account button { font-size: .85rem; }
`;

/** A page that shows learners' files: its own styles, the diff's, and scripts that carry the response's nonce. */
export function deskShell(o: {
  title: string;
  lang: string;
  nonce: string;
  css: string;
  body: SafeHtml;
  scripts: string[];
  /** JSON handed to the scripts (never run, so no nonce; `<` escaped so it cannot close the element). */
  data?: unknown;
}): string {
  const json = o.data === undefined ? '' : JSON.stringify(o.data).replace(/</g, '\\u003c');
  return html`<!doctype html>
    <html lang="${o.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title} · labgate</title>
        <style>
          ${new SafeHtml(style + o.css)}
        </style>
      </head>
      <body>
        <main>${accountSlot}${o.body}</main>
        ${
          json
            ? html`<script type="application/json" id="desk-data">
                ${new SafeHtml(json)}
              </script>`
            : ''
        }
        ${o.scripts.map(
          (s) =>
            html`<script nonce="${o.nonce}">
              ${new SafeHtml(s)};
            </script>`,
        )}
      </body>
    </html>`.value;
}
