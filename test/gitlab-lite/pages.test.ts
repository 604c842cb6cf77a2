import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPagesForge, type PagesForge } from './pages-fixture.ts';

// The forge's project pages, read as a learner reads them after "Open in GitLab": real gitlab-lite,
// real pushes, labgate's renderer handed in as `npm start` does.
let f: PagesForge;
beforeAll(async () => {
  f = await startPagesForge();
});
afterAll(async () => f?.t.close());

const visit = (url: string, who?: 'alice' | 'bob', headers: Record<string, string> = {}) =>
  fetch(`${f.t.lite.url}${url}`, {
    headers: { ...(who ? { cookie: `_gitlab_session=${f.users[who]!.session}` } : {}), ...headers },
    redirect: 'manual',
  });
const page = async (url: string, who?: 'alice' | 'bob', headers?: Record<string, string>) => {
  const res = await visit(url, who, headers);
  expect(res.status, url).toBe(200);
  return res.text();
};
const unescape = (s: string) =>
  s.replace(
    /&(amp|quot|#39|lt|gt);/g,
    (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!,
  );
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => unescape(m[1]!));

/** Markup that could run or submit anything: real tags (escaped text has no `<`) and their attributes. */
function live(html: string): string[] {
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  return tags.filter(
    (tag) =>
      /^<(script|iframe|form|object|embed|base|meta http-equiv)/i.test(tag) ||
      /\son[a-z]+\s*=/i.test(tag.replace(/"[^"]*"/g, '""')) ||
      /(href|src|action|srcdoc)\s*=\s*"?\s*(javascript|vbscript|data:text)/i.test(tag),
  );
}

describe('the project pages have GitLab’s addresses and links between them', () => {
  it('shows the default branch’s files as links, folders first, and the README rendered below', async () => {
    const home = await page('/course/alice-ex1', 'alice');
    expect(home).toContain('data-testid="project-name">alice-ex1<');
    expect(home).toContain('data-testid="signed-in-as">@alice<');
    const links = hrefs(home);
    expect(links).toContain('/course/alice-ex1/-/tree/main/notebooks');
    expect(links).toContain('/course/alice-ex1/-/blob/main/README.md');
    expect(home.indexOf('/-/tree/main/notes"')).toBeLessThan(home.indexOf('/-/blob/main/README.md"'));
    expect(home).toMatch(/data-testid="readme"[\s\S]*<h1>Exercice 1<\/h1>/);
    expect(home).toContain('<table>'); // the README's Markdown table
    // Its relative links lead to the files' pages at the same ref; none leads out of the repository.
    expect(links).toContain('/course/alice-ex1/-/blob/main/notebooks/analyse.ipynb');
    expect(links).not.toContain('../../../etc/passwd');
    const folder = await visit('/course/alice-ex1/-/blob/main/data', 'alice');
    expect(folder.status).toBe(302);
    expect(folder.headers.get('location')).toBe('/course/alice-ex1/-/tree/main/data');
  });

  it('navigates by its links: a folder, a file in it, and back up', async () => {
    const home = await page('/course/alice-ex1', 'alice');
    const folder = await page(
      hrefs(home).find((h) => h.endsWith('/-/tree/main/notebooks'))!,
      'alice',
    );
    const notebookLink = hrefs(folder).find((h) => h.endsWith('/analyse.ipynb'))!;
    expect(notebookLink).toBe('/course/alice-ex1/-/blob/main/notebooks/analyse.ipynb');
    expect(hrefs(folder)).toContain('/course/alice-ex1/-/tree/main'); // ".." and the breadcrumb
    expect(await page(notebookLink, 'alice')).toContain('data-testid="file-rendered"');
  });

  it('reads refs with slashes and commit shas, and names files with strange names safely', async () => {
    const feedback = await page('/course/alice-ex1/-/blob/feedback/v1/notes/feedback.md', 'alice');
    expect(feedback).toContain('<h1>Retour</h1>');
    const notes = await page('/course/alice-ex1/-/tree/main/notes', 'alice');
    expect(notes).not.toContain('<img src=x');
    expect(notes).toContain('&quot;&gt;&lt;img src=x onerror=alert(&#39;name&#39;)&gt;.md');
    expect(hrefs(notes)).toContain(
      `/course/alice-ex1/-/blob/main/notes/${encodeURIComponent("\"><img src=x onerror=alert('name')>.md")}`,
    );
    expect((await visit('/course/alice-ex1/-/tree/nope', 'alice')).status).toBe(404);
    expect((await visit('/course/alice-ex1/-/blob/main/nope.txt', 'alice')).status).toBe(404);
    expect((await visit('/course/alice-ex1/-/tree/main/..%2F..', 'alice')).status).toBe(404);
  });
});

describe('a file’s page', () => {
  it('renders a notebook: Markdown as HTML, code as escaped text, image, HTML and error outputs', async () => {
    const html = await page('/course/alice-ex1/-/blob/main/notebooks/analyse.ipynb', 'alice');
    expect(html).toContain('<h1>Analyse des températures</h1>');
    expect(html).toContain('<strong>relevés</strong>');
    expect(html).toContain('<code>import statistics\nrelevés = [11.2, 12.8, 14.1, 15.6]');
    expect(html).toMatch(/<img alt="image output" src="data:image\/png;base64,iVBOR[A-Za-z0-9+/=]+">/);
    expect(html).toContain('<table class="dataframe"><tr><th>mois</th>');
    expect(html).not.toContain('<script>document.title');
    expect(html).toContain('ZeroDivisionError: division by zero'); // the traceback, colours dropped
    expect(html).not.toContain('\u001b');
    expect(html).toContain('<span class="nb-prompt">[2]:</span>');
  });

  it('shows a notebook’s source on demand, text with line numbers, and a binary file’s size and link', async () => {
    const source = await page('/course/alice-ex1/-/blob/main/notebooks/analyse.ipynb?plain=1', 'alice');
    expect(source).toContain('<td class="line"> &quot;nbformat&quot;: 4,</td>');
    const csv = await page('/course/alice-ex1/-/blob/main/data/mesures.csv', 'alice');
    expect(csv).toContain('<td class="ln">5</td><td class="line">avril,12.9</td>');
    const bin = await page('/course/alice-ex1/-/blob/main/data/raw.bin', 'alice');
    expect(bin).toMatch(/data-testid="binary-file">Binary file \(8 bytes\)/);
    expect(hrefs(bin)).toContain('/course/alice-ex1/-/raw/main/data/raw.bin?inline=false');
  });

  it('serves raw files as text or downloads, never as a page of the forge', async () => {
    const html = await visit('/course/alice-ex1/-/raw/main/notes/page.html', 'alice');
    expect(html.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await html.text()).toBe('<script>alert("raw")</script>');
    const bin = await visit('/course/alice-ex1/-/raw/main/data/raw.bin?inline=false', 'alice');
    expect(bin.headers.get('content-disposition')).toMatch(/^attachment; filename="raw.bin"/);
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]));
  });

  it('sends every page with a policy that runs no script and loads images only inline', async () => {
    const res = await visit('/course/alice-ex1/-/blob/main/notebooks/hostile.ipynb', 'alice');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toMatch(/script-src/);
    expect(csp).toMatch(/sandbox(?! [^;]*allow-scripts)(?! [^;]*allow-same-origin)/);
    const html = await res.text();
    expect(live(html)).toEqual([]);
    expect(html).toContain('<h1>Hostile</h1>'); // the rest of the cell still reads
    expect(html).toContain('src="data:image/svg+xml;base64,'); // SVG as an image, never as markup
  });
});

describe('the history and a commit', () => {
  it('lists commits newest first, 40 a page, with links to each commit', async () => {
    const first = await page('/course/alice-long/-/commits/main', 'alice');
    const titles = [...first.matchAll(/class="title" href="[^"]+">(Step \d+)</g)].map((m) => m[1]);
    expect(titles).toHaveLength(40);
    expect(titles.slice(0, 2)).toEqual(['Step 42', 'Step 41']);
    const next = hrefs(first).find((h) => h.includes('page=2'))!;
    const second = await page(next, 'alice');
    expect([...second.matchAll(/class="title" href="[^"]+">(Step \d+)</g)].map((m) => m[1])).toEqual([
      'Step 2',
      'Step 1',
    ]);
    const alice = await page('/course/alice-ex1/-/commits/main', 'alice');
    expect(alice).toContain('&lt;script&gt;alert(&quot;message&quot;)&lt;/script&gt; hostile');
    expect(alice.indexOf('hostile')).toBeLessThan(alice.indexOf('Plot the monthly'));
    expect(alice).toContain(
      '<strong>Alice Martin</strong> · <time datetime="2026-12-02T14:30:00+01:00">2 Dec 2026, 14:30</time>',
    );
  });

  it('shows a commit’s message and each file’s changes: notebooks cell by cell, text line by line', async () => {
    const history = await page('/course/alice-ex1/-/commits/main', 'alice');
    const commit = hrefs(history).find(
      (h) => /\/-\/commit\/[0-9a-f]{40}$/.test(h) && history.includes(`${h}">Plot`),
    )!;
    const html = await page(commit, 'alice');
    expect(html).toContain('data-testid="commit-title">Plot the monthly temperatures<');
    expect(html).toContain('Added a bar chart and one more month.');
    expect(html).toContain('3 changed files');
    const notebook = html.slice(html.indexOf('data-path="notebooks/analyse.ipynb"'));
    expect(notebook).toContain('class="review-diff"');
    expect(notebook).toMatch(/<section class="cell op-modified kind-code"/);
    expect(notebook).toMatch(/<section class="cell op-added kind-code"[^>]*data-anchor="plot"/);
    expect(notebook).toMatch(/<mark>, 15\.6<\/mark>/); // the words that changed in the line
    expect(notebook).toContain('<details class="fold"'); // the unchanged title cell, folded without script
    const csv = html.slice(html.indexOf('data-path="data/mesures.csv"'));
    expect(csv).toContain(
      '<tr class="del"><td class="ln">3</td><td class="ln"></td><td class="sign">-</td><td class="line">février,7.0</td></tr>',
    );
    expect(csv).toContain(
      '<tr class="ins"><td class="ln"></td><td class="ln">5</td><td class="sign">+</td><td class="line">avril,12.9</td></tr>',
    );
    expect(html).toMatch(/data-path="data\/raw.bin" data-status="added"[\s\S]*?Binary file \(8 bytes\)/);
  });

  it('shows a first commit as all added, and the hostile commit inert', async () => {
    const history = await page('/course/alice-ex1/-/commits/main', 'alice');
    const ids = [...history.matchAll(/data-sha="([0-9a-f]{40})"/g)].map((m) => m[1]!);
    const first = await page(`/course/alice-ex1/-/commit/${ids.at(-1)}`, 'alice');
    expect(first).toMatch(/data-status="added"[\s\S]*README.md/);
    expect(first).toContain(
      '<tr class="ins"><td class="ln"></td><td class="ln">1</td><td class="sign">+</td><td class="line"># Exercice 1</td></tr>',
    );
    const hostile = await page(`/course/alice-ex1/-/commit/${ids[0]}`, 'alice');
    expect(live(hostile)).toEqual([]);
    expect(hostile).toContain('<b>bold</b>'); // the HTML output, sanitized, still shown
    expect((await visit('/course/alice-ex1/-/commit/--output=x', 'alice')).status).toBe(404);
  });
});

describe('who may read what', () => {
  it('lists the signed-in person’s projects, and not other people’s', async () => {
    const mine = await page('/dashboard/projects', 'alice');
    expect(hrefs(mine)).toEqual(expect.arrayContaining(['/course/alice-ex1', '/course/alice-long']));
    expect(mine).not.toContain('bob-ex1');
    expect(mine).not.toContain('public-notes');
    const bobs = await page('/', 'bob');
    expect(hrefs(bobs)).toEqual(expect.arrayContaining(['/course/bob-ex1', '/course/public-notes']));
    expect(bobs).not.toContain('alice');
    expect(hrefs(bobs)).toContain('/dashboard/projects'); // the Projects link
  });

  it('answers another learner’s private project with the same 404 as a project that does not exist', async () => {
    for (const url of [
      '/course/alice-ex1',
      '/course/alice-ex1/-/blob/main/README.md',
      '/course/alice-ex1/-/commits/main',
      '/course/alice-ex1/-/raw/main/README.md',
    ]) {
      const res = await visit(url, 'bob');
      expect(res.status, url).toBe(404);
      expect(await res.text()).toContain('data-testid="not-found"');
    }
    const missing = await visit('/course/no-such-project', 'bob');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('data-testid="not-found"');
  });

  it('sends a signed-out visitor to sign in for a private project, and shows a public one', async () => {
    const res = await visit('/course/alice-ex1/-/tree/main/notebooks');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/users/sign_in?redirect_to=${encodeURIComponent('/course/alice-ex1/-/tree/main/notebooks')}`,
    );
    expect(await page('/course/public-notes')).toContain('<h1>Public notes</h1>');
    expect((await visit('/dashboard/projects')).status).toBe(302);
  });
});

describe('in French and English', () => {
  it('follows the browser’s language, and ?lang= over it, remembered', async () => {
    const fr = await page('/course/alice-ex1/-/commits/main', 'alice', {
      'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8',
    });
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Historique');
    expect(fr).toContain('2 déc. 2026, 14:30');
    expect(fr).toContain('Se déconnecter');
    const en = await visit('/course/alice-ex1?lang=en', 'alice', { 'accept-language': 'fr' });
    expect(await en.text()).toContain('<html lang="en">');
    expect(en.headers.get('set-cookie')).toMatch(/^preferred_language=en;/);
    const chosen = await page('/dashboard/projects', 'alice', {
      'accept-language': 'en',
      cookie: `_gitlab_session=${f.users.alice!.session}; preferred_language=fr`,
    });
    expect(chosen).toContain('Vos projets');
  });

  it('says everything on the commit page and the 404 in French', async () => {
    const history = await page('/course/alice-ex1/-/commits/main?lang=fr', 'alice');
    const commit = hrefs(history).find(
      (h) => /\/-\/commit\/[0-9a-f]{40}$/.test(h) && history.includes(`${h}">Plot`),
    )!;
    const html = await page(`${commit}?lang=fr`, 'alice');
    expect(html).toContain('3 fichiers modifiés');
    expect(html).toContain('Fichier binaire (8 octets)');
    expect(html).toMatch(/class="status added">ajouté</);
    expect(html).toContain('Avant · ');
    expect(html).toMatch(/cellule 2/); // the notebook diff's own words
    const missing = await visit('/course/nothing?lang=fr', 'bob');
    expect(await missing.text()).toContain('404 : page introuvable');
  });
});
