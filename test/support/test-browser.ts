import { autoPostedForm, type PageForm } from './html-forms.ts';

export interface Visit {
  url: URL;
  status: number;
  body: string;
  /** The last auto-posting form on the way (an LMS launch, labgate's deep-linking answer). */
  lastForm?: PageForm;
}

/**
 * A minimal browser against a listening labgate: keeps cookies, follows redirects and submits pages'
 * auto-posting forms, as a real one would, until a page that does neither (or `stopAt`).
 */
export function newBrowser(base: string) {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (/max-age=0\b/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  };
  async function go(start: string, o: { stopAt?: RegExp; form?: URLSearchParams } = {}): Promise<Visit> {
    let url = new URL(start, base);
    let form = o.form;
    let lastForm: PageForm | undefined;
    for (let hop = 0; hop < 12; hop++) {
      const res = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          accept: 'text/html',
          ...(form
            ? { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(base).origin }
            : {}),
        },
        ...(form ? { body: form.toString() } : {}),
      });
      remember(res);
      const body = await res.text();
      const next = res.headers.get('location');
      const posted = res.status === 200 ? autoPostedForm(body) : undefined;
      if (posted) lastForm = posted;
      if (o.stopAt?.test(url.pathname) || (!next && !posted)) {
        return { url, status: res.status, body, ...(lastForm ? { lastForm } : {}) };
      }
      url = next ? new URL(next, url) : new URL(posted!.action, url);
      form = next ? undefined : posted!.fields;
    }
    throw new Error(`too many hops, last at ${url.href}`);
  }
  return { go, jar };
}
