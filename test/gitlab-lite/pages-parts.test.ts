import { describe, expect, it } from 'vitest';
import { projectLinks } from '../../gitlab-lite/pages/page-links.ts';
import { fromAcceptLanguage } from '../../gitlab-lite/pages/page-locale.ts';
import { parseProjectAddress } from '../../gitlab-lite/pages/project-route.ts';
import { relinked } from '../../gitlab-lite/pages/relative-links.ts';

describe('the parts of the forge’s pages', () => {
  it('reads Accept-Language by weight, and knows only French and English', () => {
    expect(fromAcceptLanguage('de-DE,fr;q=0.5,en;q=0.8')).toBe('en');
    expect(fromAcceptLanguage('fr-CA, en;q=0.9')).toBe('fr');
    expect(fromAcceptLanguage('en;q=0, fr;q=0.1')).toBe('fr');
    expect(fromAcceptLanguage('de, *')).toBeUndefined();
    expect(fromAcceptLanguage(undefined)).toBeUndefined();
  });

  it('reads GitLab’s addresses, and leaves its own routes and malformed ones alone', () => {
    expect(parseProjectAddress('/course/2026/fork/-/blob/main/a%20b/c.ipynb?plain=1')).toEqual({
      projectPath: 'course/2026/fork',
      action: 'blob',
      rest: ['main', 'a b', 'c.ipynb'],
    });
    expect(parseProjectAddress('/course/fork/')).toEqual({
      projectPath: 'course/fork',
      action: undefined,
      rest: [],
    });
    for (const url of [
      '/api/v4/projects',
      '/users/sign_in',
      '/groups/x/y',
      '/alone',
      '/a/%E0%A4%A/-/tree',
      '/a//b',
    ])
      expect(parseProjectAddress(url), url).toBeUndefined();
  });

  it('makes a rendered file’s relative links into the repository’s pages, and no further', () => {
    const links = projectLinks('course/fork');
    const html = relinked(
      '<a href="../data/x.csv#L2">d</a><a href="https://example.org/">e</a><a href="#top">t</a><a href="../../../../etc/passwd">p</a><a href="a&amp;b.md">q</a>',
      links,
      'feedback/v1',
      'notebooks/analyse.ipynb',
    );
    expect(html).toBe(
      '<a href="/course/fork/-/blob/feedback/v1/data/x.csv#L2">d</a><a href="https://example.org/">e</a><a href="#top">t</a><a href="#">p</a><a href="/course/fork/-/blob/feedback/v1/notebooks/a%26b.md">q</a>',
    );
  });
});
