/** The look of the forge's pages: GitLab's layout in miniature, readable on a laptop and a phone. */
export const pageStyles = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f1e24;background:#fff}
a{color:#1f75cb;text-decoration:none}a:hover{text-decoration:underline}
header.top{display:flex;align-items:center;gap:1.2rem;padding:.5rem 1rem;background:#1f1e24;color:#ececef;flex-wrap:wrap}
header.top a{color:#ececef}header.top .brand{font-weight:700;font-size:16px}
header.top nav{display:flex;gap:1rem}header.top .right{margin-left:auto;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header.top .langs strong{font-weight:600;color:#fff}
main{max-width:1100px;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.5rem;margin:.3rem 0}h2{font-size:1.15rem}
.crumbs{color:#626168;font-size:13px}.crumbs a{color:#626168}
.project-head{border-bottom:1px solid #dcdcde;margin-bottom:1rem}
.tabs{display:flex;gap:1.2rem;margin-top:.4rem}.tabs a{padding:.4rem 0;color:#3a383f;border-bottom:2px solid transparent}
.tabs a.on{border-bottom-color:#1f75cb;font-weight:600}
.bar{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:.6rem 0}.bar .actions{margin-left:auto}
.ref{font:12px ui-monospace,monospace;padding:.15rem .45rem;border:1px solid #dcdcde;border-radius:4px;background:#fbfafd}
.path{font-weight:600;overflow-wrap:anywhere}
.box{border:1px solid #dcdcde;border-radius:6px;margin:.8rem 0;overflow:hidden}
.box>.box-head{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;padding:.5rem .8rem;background:#fbfafd;border-bottom:1px solid #dcdcde}
.box>.box-head .actions{margin-left:auto;display:flex;gap:.8rem}
.box>.box-body{padding:.6rem 1rem}
.last-commit{display:flex;flex-wrap:wrap;gap:.6rem;align-items:baseline}
.muted{color:#626168}.sha{font:12px ui-monospace,monospace}
table.tree{width:100%;border-collapse:collapse}
table.tree td{padding:.4rem .8rem;border-top:1px solid #ececef}
table.tree tr:first-child td{border-top:0}
table.tree .icon{width:2em;padding-right:0}
i.i-folder,i.i-file,i.i-module{display:inline-block;width:14px;height:12px;vertical-align:-1px;border-radius:2px}
i.i-folder{background:#737278;border-top-left-radius:0;box-shadow:0 -2px 0 -0px #737278;clip-path:polygon(0 0,40% 0,50% 15%,100% 15%,100% 100%,0 100%)}
i.i-file{width:11px;height:14px;border:1.5px solid #737278;border-radius:1px}
i.i-module{border:1.5px dashed #737278}
table.code,table.diff{width:100%;border-collapse:collapse;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;table-layout:fixed}
table.code td,table.diff td{padding:0 .6rem;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
td.ln{width:4em;text-align:right;color:#89888d;user-select:none;background:#fbfafd;border-right:1px solid #ececef}
td.sign{width:1.4em;user-select:none;color:#626168}
table.code td.line:empty::after,table.diff td.line:empty::after{content:"\\200b"}
table.diff tr.ins td{background:#ecfdf0}table.diff tr.ins td.ln{background:#d8f8e1}
table.diff tr.del td{background:#fbe9eb}table.diff tr.del td.ln{background:#f9d7dc}
table.diff tr.hunk td{background:#f5f7fb;color:#626168}
table.diff tr.note td{color:#626168;font-style:italic}
ol.commits,ul.projects{list-style:none;margin:0;padding:0}
ol.commits li,ul.projects li{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:baseline;padding:.6rem .8rem;border-top:1px solid #ececef}
ol.commits li:first-child,ul.projects li:first-child{border-top:0}
ol.commits .title,ul.projects .title,div.commit .title{font-weight:600;flex:1 1 20rem;overflow-wrap:anywhere}
div.commit{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:baseline;width:100%}
.meta{color:#626168;font-size:13px}
.badge{font-size:12px;padding:0 .4rem;border-radius:9px;background:#ececef;color:#3a383f}
.pager{display:flex;gap:1rem;justify-content:center;margin:1rem 0}
pre.message{white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.5 ui-monospace,monospace;margin:.4rem 0}
details.file{border:1px solid #dcdcde;border-radius:6px;margin:.8rem 0;overflow:hidden}
details.file>summary{display:flex;flex-wrap:wrap;gap:.6rem;align-items:baseline;padding:.5rem .8rem;background:#fbfafd;cursor:pointer}
details.file[open]>summary{border-bottom:1px solid #dcdcde}
details.file>summary .actions{margin-left:auto}
details.file>.file-body{padding:.4rem .6rem;overflow:auto}
.status{font-size:12px;font-weight:600;text-transform:uppercase}.status.added{color:#108548}.status.deleted{color:#dd2b0e}.status.renamed,.status.modified{color:#ab6100}
.readme{padding:.4rem 1.2rem}
.md-file img{max-width:100%}.md-file pre{background:#f6f8fa;padding:.6rem;overflow:auto}
.binary img{max-width:100%;display:block;margin:.6rem auto}
`;
