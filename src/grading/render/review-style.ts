/**
 * Styles of the review fragment, every rule under `.review-diff` so a page's own styles stay its own.
 * Blank lines keep their height (each row has a line number; an empty line holds a zero-width space).
 */
export const reviewDiffCss = `
.review-diff{--rd-add:#e6ffec;--rd-add-word:#abf2bc;--rd-del:#ffebe9;--rd-del-word:#ffc1c0;--rd-muted:#59636e;--rd-line:#d1d9e0;--rd-head:#f6f8fa;font:14px/1.45 system-ui,sans-serif;color:#1f2328}
.review-diff .review-bar{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.4rem 0;background:#fff;border-bottom:1px solid var(--rd-line)}
.review-diff .review-summary{flex:1;color:var(--rd-muted)}
.review-diff .review-bar kbd{font:11px ui-monospace,monospace;padding:0 .25em;border:1px solid var(--rd-line);border-radius:3px}
.review-diff button{font:inherit;font-size:13px;padding:.15rem .6rem;border:1px solid var(--rd-line);border-radius:6px;background:var(--rd-head);color:inherit;cursor:pointer}
.review-diff button:hover{background:#eef1f4}
.review-diff .review-cols,.review-diff .sides{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.review-diff .review-cols{font-weight:600;padding:.3rem 0}
.review-diff .review-cols>div{padding:0 .5rem;overflow-wrap:anywhere}
.review-diff.has-annotations .review-head,.review-diff.has-annotations .cell{display:grid;grid-template-columns:minmax(0,1fr) minmax(12rem,18rem);gap:.6rem}
.review-diff .note,.review-diff .empty{margin:.2rem .5rem;color:var(--rd-muted);font-size:12px}
.review-diff .cell{margin:.6rem 0;scroll-margin-top:3.5rem}
.review-diff .cell-main{min-width:0;border:1px solid var(--rd-line);border-radius:6px;overflow:hidden}
.review-diff .op-added .cell-main{border-left:4px solid #1a7f37}
.review-diff .op-removed .cell-main{border-left:4px solid #cf222e}
.review-diff .op-modified .cell-main,.review-diff .op-moved .cell-main{border-left:4px solid #9a6700}
.review-diff .cell.current .cell-main{outline:2px solid #0969da;outline-offset:1px}
.review-diff .cell-head{display:flex;flex-wrap:wrap;gap:.6rem;padding:.15rem .5rem;background:var(--rd-head);border-bottom:1px solid var(--rd-line);font-size:12px;color:var(--rd-muted)}
.review-diff .cell-head .op{font-weight:600;color:#1f2328}
.review-diff .cell-head .moved-from{color:#8250df;font-weight:600}
.review-diff .cell-head .key{margin-left:auto;font-family:ui-monospace,monospace}
.review-diff .side{min-width:0;padding:0 .5rem;overflow:auto}
.review-diff .side-right{border-left:1px solid var(--rd-line)}
.review-diff .prompts .side{padding-top:.15rem}
.review-diff .prompt{font:12px ui-monospace,monospace;color:#0550ae}
.review-diff table.src{width:100%;border-collapse:collapse;table-layout:fixed;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace}
.review-diff table.src td{padding:0 .4rem;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
.review-diff table.src td.ln{width:3.2em;text-align:right;color:var(--rd-muted);user-select:none;background:#fafbfc}
.review-diff table.src td.ln+td.code{border-right:1px solid var(--rd-line)}
.review-diff table.src td.code:empty::after{content:"\\200b"}
.review-diff table.src td.none{background:#f6f8fa}
.review-diff tr.del td.code:not(.none),.review-diff tr.chg td:nth-child(2):not(.none){background:var(--rd-del)}
.review-diff tr.ins td.code:not(.none),.review-diff tr.chg td:nth-child(4):not(.none){background:var(--rd-add)}
.review-diff tr.chg td:nth-child(2) mark{background:var(--rd-del-word);color:inherit}
.review-diff tr.chg td:nth-child(4) mark{background:var(--rd-add-word);color:inherit}
.review-diff .noeol{margin-left:.6em;padding:0 .35em;border-radius:3px;background:#eaeef2;color:var(--rd-muted);font:11px system-ui,sans-serif;user-select:none}
.review-diff .md-source>summary{padding:0 .5rem;font-size:12px;color:var(--rd-muted);cursor:pointer}
.review-diff .preview .side{padding:.2rem .8rem}
.review-diff .md img,.review-diff .out img{max-width:100%}
.review-diff .outputs{border-top:1px solid var(--rd-line)}
.review-diff .output+.output{border-top:1px dashed var(--rd-line)}
.review-diff .output-head{padding:0 .5rem;font-size:11px;color:var(--rd-muted)}
.review-diff .output[data-output-op="modified"] .output-mark{color:#9a6700;font-weight:600}
.review-diff .output[data-output-op="added"] .output-mark{color:#1a7f37;font-weight:600}
.review-diff .output[data-output-op="removed"] .output-mark{color:#cf222e;font-weight:600}
.review-diff .output[data-output-op="added"] .side-right{background:var(--rd-add)}
.review-diff .output[data-output-op="removed"] .side-left{background:var(--rd-del)}
.review-diff .out{margin:.25rem 0;padding:.3rem .4rem;background:#fafbfc;overflow:auto;font:12.5px/1.45 ui-monospace,monospace;white-space:pre-wrap}
.review-diff .out.html,.review-diff .out.md{font:inherit;white-space:normal}
.review-diff .out.err{color:#cf222e}
.review-diff .out-diff{padding:.2rem 0}
.review-diff .fold{margin:.4rem 0}
.review-diff .fold>.unfold{width:100%;padding:.3rem;border-style:dashed;color:var(--rd-muted)}
.review-diff .annotation{min-width:0;padding:.4rem .6rem;border-left:3px solid #0969da;background:#f6f8ff;font-size:13px;overflow-wrap:anywhere}
@media (max-width:900px){.review-diff.has-annotations .review-head,.review-diff.has-annotations .cell{grid-template-columns:minmax(0,1fr)}}
`;
