import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answers,
  hiddenMessage,
  hostileCells,
  hostileName,
  notebookOf,
  section,
  startReviewRig,
  templateCells,
  type ReviewRig,
} from '../support/review-rig.ts';

let r: ReviewRig;
let anaSha = '';
let cySha = '';
const get = (url: string, session?: string) =>
  r.rig.app.server.inject({ url, cookies: session ? { labgate_session: session } : {} });
async function post(session: string, path: string, payload: unknown, lang = 'en') {
  return r.rig.app.server.inject({
    method: 'POST',
    url: r.reviewUrl(r.ana.userId, `${path}?lang=${lang}`),
    cookies: { labgate_session: session },
    headers: { accept: 'application/json', 'x-csrf-token': await r.csrfOf(session) },
    payload: payload as Record<string, unknown>,
  });
}

beforeAll(async () => {
  r = await startReviewRig();
  const pushed = await r.rig.push(r.ana.path, {
    'ex.ipynb': notebookOf(hostileCells),
    [hostileName]: '# hi\n',
  });
  anaSha = pushed.sha;
  await r.graded(r.ana, anaSha);
  const cells = templateCells.map((c) => ({ ...c, source: answers[c.id] ?? c.source }));
  cySha = (await r.rig.push(r.cy.path, { 'ex.ipynb': notebookOf(cells) })).sha;
  await r.recorded(r.cy, cySha);
}, 180_000);
afterAll(async () => {
  await r?.rig.close();
});

describe('the grader’s desk: the review page of a submission', () => {
  it('is for the course’s staff only: not its learners, not another course’s teacher', async () => {
    expect((await get(r.reviewUrl(r.ana.userId))).statusCode).toBe(401);
    expect((await get(r.reviewUrl(r.ana.userId), r.ana.session)).statusCode).toBe(403);
    const other = await r.rig.launch({
      user_id: 't-other',
      roles: 'Instructor',
      context_id: 'course-v1:Other+X+2026',
      context_title: 'Another course',
    });
    expect((await get(r.reviewUrl(r.ana.userId), other)).statusCode).toBe(403);
    expect(
      (await post(other, '/scores', { questionId: '', score: null, rubric: [], version: 0 })).statusCode,
    ).toBe(403);
    expect(
      (await post(r.ana.session, '/comments', { file: 'ex.ipynb', cell: 'q1', body: 'x' })).statusCode,
    ).toBe(403);
    expect((await get(r.reviewUrl(r.tom), r.tom)).statusCode).toBe(404); // a session id is no learner
  });

  it('shows the learner’s changed line marked, unchanged cells folded, the commit and the autograder’s results', async () => {
    const page = await get(r.reviewUrl(r.ana.userId, '?lang=en'), r.tom);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toMatch(new RegExp(`data-testid="commit" data-source="grading" data-sha="${anaSha}"`));
    const q1 = section(body, 'q1');
    expect(q1).toContain('data-op="modified"');
    expect(q1).toMatch(/<tr class="chg">.*data-side="right" data-line="3">\s*<mark>return<\/mark>/);
    expect(q1).toMatch(/<tr class="eq">.*data-side="right" data-line="2">\s*# YOUR CODE HERE/);
    expect(q1).toContain('data-question="squares"');
    expect(q1).toMatch(/<li class="failed" data-hidden="yes">[\s\S]*HIDDEN-CHECK-MESSAGE-41c7[\s\S]*hidden/);
    const fold = body.slice(body.indexOf('<div class="fold"'), body.indexOf('data-anchor="q1"'));
    expect(fold).toMatch(/<div class="fold-body" hidden>.*data-anchor="intro".*data-anchor="setup"/s);
    expect(section(body, 'q2')).toMatch(/data-item="1"\s+data-points="0.5"[\s\S]*clear naming/);
    expect(body).toContain('<strong data-testid="auto-score">3 / 6</strong>');
    const expected = await get(r.reviewUrl(r.ana.userId, '?lang=en&against=expected'), r.tom);
    expect(section(expected.body, 'q1')).toContain('data-op="unchanged"');
    expect(expected.body).toContain('<div>Expected answers</div>');
  });

  it('says which commit it shows and leads to the neighbours in roster order', async () => {
    const bea = (await get(r.reviewUrl(r.bea.userId, '?lang=en'), r.tom)).body;
    expect(bea).toContain('data-source="latest"');
    expect(bea).toMatch(new RegExp(`data-testid="previous" href="[^"]*/review/${r.ana.userId}\\?`));
    expect(bea).toMatch(new RegExp(`data-testid="next" href="[^"]*/review/${r.cy.userId}\\?`));
    const cy = (await get(r.reviewUrl(r.cy.userId, '?lang=fr'), r.tom)).body;
    expect(cy).toMatch(new RegExp(`data-source="submission" data-sha="${cySha}"`));
    expect(cy).toContain('relevé à la date limite');
    const reversed = (await get(r.reviewUrl(r.ana.userId, '?sort=name&desc=1'), r.tom)).body;
    expect(reversed).toMatch(
      new RegExp(`data-testid="previous" href="[^"]*/review/${r.bea.userId}\\?[^"]*desc=1`),
    );
  });

  it('never lets the learner’s notebook or file names run anything in the grader’s browser', async () => {
    for (const url of [
      r.reviewUrl(r.ana.userId),
      r.reviewUrl(r.ana.userId, `?file=${encodeURIComponent(hostileName)}`),
    ]) {
      const page = await get(url, r.tom);
      expect(page.statusCode).toBe(200);
      const nonce = /script-src 'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))![1]!;
      const scripts = [...page.body.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(1);
      for (const s of scripts)
        expect(
          s === `<script nonce="${nonce}">` || s === '<script type="application/json" id="desk-data">',
          s,
        ).toBe(true);
      expect(page.body).not.toMatch(/<[a-z][^>]*\son(error|load)=/i);
      expect(page.body).not.toMatch(/href="javascript:/i);
      expect(page.body).toContain('evil&quot;&lt;script&gt;alert(8)&lt;/script&gt;.md');
    }
  });
});

describe('scores and comments, saved as graders go', () => {
  it('saves a score; a second grader from the same version is answered 409 with the first one’s name', async () => {
    const first = await post(r.tom, '/scores', {
      questionId: 'squares',
      score: 2.5,
      rubric: [],
      comment: 'Nearly',
      version: 0,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().saved).toMatchObject({
      questionId: 'squares',
      score: 2.5,
      version: 1,
      comment: 'Nearly',
    });
    const late = await post(r.sue, '/scores', {
      questionId: 'squares',
      score: 1,
      rubric: [],
      comment: null,
      version: 0,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ current: { score: 2.5, version: 1 }, by: 'Tom Teacher' });
    const then = await post(r.sue, '/scores', {
      questionId: 'squares',
      score: 3,
      rubric: [],
      comment: 'Fine',
      version: 1,
    });
    expect(then.json().saved).toMatchObject({ score: 3, version: 2 });
    const page = (await get(r.reviewUrl(r.ana.userId, '?lang=en'), r.tom)).body;
    expect(section(page, 'q1')).toMatch(/value="3"[\s\S]*Last saved by Sue Assistant/);
    expect(page).toContain('<strong data-testid="final-score">4 / 6</strong>');
  });

  it('takes rubric points from grading.yml and refuses items, scores and bodies that do not fit, in French too', async () => {
    const ticked = await post(r.tom, '/scores', {
      questionId: 'mean',
      score: null,
      rubric: [{ item: 1, points: 99 }],
      version: 0,
    });
    expect(ticked.json().saved.rubric).toEqual([{ item: 1, points: 0.5 }]);
    const cases: Array<[unknown, string]> = [
      [{ questionId: 'mean', score: null, rubric: [{ item: 2 }], version: 1 }, 'REVIEW_UNKNOWN_RUBRIC_ITEM'],
      [
        { questionId: 'squares', score: null, rubric: [{ item: 0 }], version: 2 },
        'REVIEW_UNKNOWN_RUBRIC_ITEM',
      ],
      [{ questionId: 'squares', score: 3.5, rubric: [], version: 2 }, 'REVIEW_SCORE_RANGE'],
      [{ questionId: 'nope', score: 1, rubric: [], version: 0 }, 'REVIEW_UNKNOWN_QUESTION'],
      [{ questionId: '', score: 1, rubric: [], version: 0 }, 'REVIEW_GENERAL_SCORE'],
      [
        { questionId: 'mean', score: null, rubric: [], comment: 'x'.repeat(10_001), version: 1 },
        'REVIEW_BAD_BODY',
      ],
      [{ questionId: 'mean', score: '2', rubric: [], version: 1 }, 'REVIEW_BAD_BODY'],
      [{ questionId: 'mean', score: null, rubric: [], version: 1, graded_by: 'x' }, 'REVIEW_BAD_BODY'],
    ];
    for (const [body, code] of cases) {
      const res = await post(r.tom, '/scores', body);
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const fr = await post(
      r.tom,
      '/scores',
      { questionId: 'mean', score: null, rubric: [{ item: 7 }], version: 1 },
      'fr',
    );
    expect(fr.json().error.message).toBe('La question mean n’a pas de critère 8 dans son barème.');
    const long = await post(
      r.tom,
      '/scores',
      { questionId: '', score: null, rubric: [], comment: 'x'.repeat(10_001), version: 0 },
      'fr',
    );
    expect(long.json().error.message).toBe('Un commentaire fait au plus 10 000 caractères.');
    const forged = await r.rig.app.server.inject({
      method: 'POST',
      url: r.reviewUrl(r.ana.userId, '/scores'),
      cookies: { labgate_session: r.tom },
      headers: { accept: 'application/json' },
      payload: { questionId: '', score: null, rubric: [], comment: 'hi', version: 0 },
    });
    expect(forged.statusCode).toBe(403); // no CSRF token
  });

  it('comments on a line beside its cell, edits from the version seen, and escapes what graders write', async () => {
    const made = await post(r.tom, '/comments', {
      file: 'ex.ipynb',
      cell: 'q1',
      line: 3,
      body: 'Off by <b>one</b>?',
    });
    expect(made.statusCode).toBe(200);
    const c = made.json().saved as { id: string; version: number };
    expect(made.json().saved).toMatchObject({ file: 'ex.ipynb', cell: 'q1', line: 3, version: 1 });
    const q1 = section((await get(r.reviewUrl(r.ana.userId), r.tom)).body, 'q1');
    expect(q1).toMatch(
      new RegExp(`data-id="${c.id}"[\\s\\S]*data-line="3"[\\s\\S]*Off by &lt;b&gt;one&lt;/b&gt;\\?`),
    );
    expect((await post(r.sue, `/comments/${c.id}`, { body: 'Off by one.', version: 1 })).statusCode).toBe(
      200,
    );
    const stale = await post(r.tom, `/comments/${c.id}`, { body: 'Mine', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ current: { body: 'Off by one.', version: 2 } });
    expect((await post(r.tom, `/comments/${c.id}`, { body: '  ', version: 2 })).json().error.code).toBe(
      'REVIEW_BAD_BODY',
    );
    const extra = await post(r.tom, '/comments', { file: 'ex.ipynb', cell: 'q2', body: 'Gone soon' });
    const gone = await post(r.sue, `/comments/${extra.json().saved.id}`, { body: null, version: 1 });
    expect(gone.json()).toEqual({ saved: null });
    expect((await get(r.reviewUrl(r.ana.userId), r.tom)).body).not.toContain('Gone soon');
    const g = await post(r.tom, '/scores', {
      questionId: '',
      score: null,
      rubric: [],
      comment: 'Good work overall.',
      version: 0,
    });
    expect(g.statusCode).toBe(200);
  });
});

describe('the learner’s feedback page', () => {
  const feedbackUrl = () => `/feedback/${encodeURIComponent(r.rig.course.id)}/ex1?lang=en`;

  it('says the feedback is not released yet, then shows scores and comments without hidden checks or graders’ names', async () => {
    const before = await get(feedbackUrl(), r.ana.session);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('data-testid="not-released"');
    expect(before.body).not.toContain('Good work overall.');
    await r.rig.app.services.assignments.setFeedbackReleased(r.rig.assignment.id, Date.now());
    const after = await get(feedbackUrl(), r.ana.session);
    expect(after.statusCode).toBe(200);
    expect(after.headers['content-security-policy']).toMatch(/script-src 'nonce-/);
    const body = after.body;
    expect(body).toContain('<strong data-testid="final-score">4.5 / 6</strong>');
    expect(body).toContain('Good work overall.');
    expect(body).toContain('squares(4) is right');
    expect(body).toContain('1 hidden check');
    expect(body).toContain('clear naming (+0.5)');
    expect(section(body, 'q1')).toMatch(/data-line="3"[\s\S]*Off by one\./);
    for (const secret of [hiddenMessage, 'Tom Teacher', 'Sue Assistant', 'data-hidden', 'desk-data'])
      expect(body).not.toContain(secret);
    expect(body).not.toMatch(/<[a-z][^>]*\son(error|load)=/i);
    const bea = await get(feedbackUrl(), r.bea.session);
    expect(bea.body).not.toContain('Good work overall.');
    expect((await get(feedbackUrl())).statusCode).toBe(401);
  });

  it('gives FEEDBACK.md its data through learnerFeedback, and refuses to diff a file too big for the page', async () => {
    const flow = r.flowOf({ maxFileBytes: 100 });
    const who = { courseId: r.rig.course.id, slug: 'ex1', userId: r.ana.userId };
    const f = await flow.learnerFeedback(who);
    expect(f.score).toEqual({ final: 4.5, max: 6, auto: 3 });
    expect(f.general).toBe('Good work overall.');
    expect(f.questions.find((q) => q.id === 'squares')).toMatchObject({
      final: 3,
      overridden: true,
      hiddenChecks: 1,
    });
    expect(f.questions.find((q) => q.id === 'mean')!.rubric).toEqual([{ text: 'clear naming', points: 0.5 }]);
    expect(f.comments).toEqual([{ file: 'ex.ipynb', cell: 'q1', line: 3, body: 'Off by one.' }]);
    expect(JSON.stringify(f)).not.toContain(hiddenMessage);
    const big = await flow.review({ ...who, file: 'ex.ipynb' });
    expect(big.diff).toEqual({
      ok: false,
      problem: expect.stringMatching(/^ex\.ipynb takes \d+ KB, over the 100 B/),
    });
  });
});
