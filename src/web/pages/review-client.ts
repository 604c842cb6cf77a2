/**
 * The grader's desk in the browser: score panels, comments on cells and lines (click a line number or
 * a cell's Comment button), saved as the grader types (`deskSavesScript`); `[` `]` (Alt+← Alt+→) go
 * to the previous/next learner once every save is done.
 */
export const deskScript = `(function () {
  'use strict';
  var S = window.labgateDeskSaves;
  var data = S.data, T = S.T, savers = S.savers, own = S.own, post = S.post, said = S.said;
  var saver = S.saver, conflictBox = S.conflictBox, watch = S.watch;

  var leaving = false;

  function typing(t) {
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName)) return true;
    return t.tagName === 'INPUT' && !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
  }
  function scorePanel(el) {
    var score = own(el, 'input[name=score]');
    var comment = own(el, 'textarea[name=comment]');
    var boxes = el.querySelectorAll('input[type=checkbox][data-item]');
    function ticks() {
      var out = [];
      for (var i = 0; i < boxes.length; i++)
        if (boxes[i].checked) out.push({ item: Number(boxes[i].dataset.item), points: Number(boxes[i].dataset.points) });
      return out;
    }
    function final() {
      var shown = own(el, '.final-score');
      if (!shown) return;
      var max = Number(el.dataset.max), points = 0;
      ticks().forEach(function (t) { points += t.points; });
      var v = score && score.value !== '' ? Number(score.value) : Number(el.dataset.auto) + points;
      shown.textContent = String(Math.round(Math.min(Math.max(v, 0), max) * 1000) / 1000);
    }
    var s = saver(el, {
      body: function () {
        return {
          questionId: el.dataset.question,
          score: score && score.value !== '' ? Number(score.value) : null,
          rubric: ticks(),
          comment: comment.value === '' ? null : comment.value,
          version: Number(el.dataset.version),
        };
      },
      send: function (body) { return post('/scores', body); },
      saved: function (row) { el.dataset.version = String(row.version); },
      conflict: function (current, by) {
        el.dataset.version = String(current ? current.version : 0);
        var parts = [];
        if (score) parts.push(T.scoreLabel + ': ' + (current && current.score != null ? current.score : '—'));
        var items = current ? current.rubric.map(function (t) { return t.item + 1; }).join(', ') : '';
        if (boxes.length) parts.push(T.rubric + ': ' + (items || '—'));
        parts.push('« ' + (current && current.comment ? current.comment : T.empty) + ' »');
        conflictBox(el, s, T.conflict.replace('{who}', by || '?') + ' ' + parts.join(' · '), function () {
          if (score) score.value = current && current.score != null ? String(current.score) : '';
          comment.value = current && current.comment ? current.comment : '';
          var on = {};
          (current ? current.rubric : []).forEach(function (t) { on[t.item] = true; });
          for (var i = 0; i < boxes.length; i++) boxes[i].checked = !!on[boxes[i].dataset.item];
          final();
        });
      },
    });
    watch(el, s);
    el.addEventListener('input', final);
    el.addEventListener('change', final);
  }

  function commentPanel(el) {
    var text = own(el, 'textarea');
    var s = saver(el, {
      body: function () {
        if (!el.dataset.id && text.value.trim() === '') return null;
        return el.dataset.id
          ? { body: text.value, version: Number(el.dataset.version) }
          : { file: el.dataset.file, cell: el.dataset.cell, line: el.dataset.line ? Number(el.dataset.line) : null, body: text.value };
      },
      send: function (body) { return post(el.dataset.id ? '/comments/' + encodeURIComponent(el.dataset.id) : '/comments', body); },
      saved: function (row) {
        if (!row) return el.remove();
        el.dataset.id = row.id;
        el.dataset.version = String(row.version);
      },
      conflict: function (current, by) {
        if (!current) {
          conflictBox(el, s, T.deleted, function () { el.remove(); });
          delete el.dataset.id;
          return;
        }
        el.dataset.version = String(current.version);
        conflictBox(el, s, T.conflict.replace('{who}', by || '?') + ' « ' + current.body + ' »', function () {
          text.value = current.body;
        });
      },
    });
    watch(el, s);
    own(el, '.delete-comment').addEventListener('click', function () {
      if (!el.dataset.id) return el.remove();
      s.show('saving', T.saving);
      post('/comments/' + encodeURIComponent(el.dataset.id), { body: null, version: Number(el.dataset.version) })
        .then(function (r) {
          if (r.status === 200) el.remove();
          else if (r.status === 409) s.show('error', T.notSaved + ' ' + (r.json.current ? T.conflict.replace('{who}', r.json.by || '?') + ' « ' + r.json.current.body + ' »' : T.deleted));
          else s.show('error', T.notSaved + ' ' + said(r.json));
        }, function () { s.show('error', T.notSaved + ' ' + T.network); });
    });
    markLine(el);
  }

  function sectionOf(anchor) {
    var all = document.querySelectorAll('.review-diff section.cell');
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute('data-anchor') === anchor) return all[i];
    return null;
  }
  function markLine(el) {
    var section = el.closest('section.cell');
    if (!section || !el.dataset.line) return;
    var code = section.querySelector('td.code[data-side="right"][data-line="' + Number(el.dataset.line) + '"]');
    if (code) code.classList.add('commented');
  }
  function listFor(section) {
    var anchor = section.getAttribute('data-anchor');
    var lists = section.querySelectorAll('.comments');
    for (var i = 0; i < lists.length; i++) if (lists[i].getAttribute('data-comments-for') === anchor) return lists[i];
    var aside = section.querySelector('aside.annotation');
    if (!aside) {
      aside = document.createElement('aside');
      aside.className = 'annotation';
      section.appendChild(aside);
      section.classList.add('annotated');
      section.closest('.review-diff').classList.add('has-annotations');
    }
    var list = document.createElement('div');
    list.className = 'comments';
    list.setAttribute('data-comments-for', anchor);
    aside.appendChild(list);
    return list;
  }
  function newComment(section, line) {
    var el = document.createElement('div');
    el.className = 'comment';
    el.dataset.file = data.file;
    el.dataset.cell = section.getAttribute('data-anchor');
    el.dataset.line = line ? String(line) : '';
    var where = document.createElement('span');
    where.className = 'where';
    where.textContent = line ? T.line.replace('{n}', String(line)) : T.cellWide;
    var text = document.createElement('textarea');
    text.name = 'body';
    text.maxLength = 10000;
    text.setAttribute('aria-label', T.comment);
    var del = document.createElement('button');
    del.type = 'button';
    del.className = 'delete-comment';
    del.textContent = T.remove;
    var state = document.createElement('p');
    state.className = 'save-state';
    state.setAttribute('role', 'status');
    state.setAttribute('data-testid', 'save-state');
    var box = document.createElement('div');
    box.className = 'conflict';
    box.hidden = true;
    [where, text, del, state, box].forEach(function (n) { el.appendChild(n); });
    listFor(section).appendChild(el);
    commentPanel(el);
    text.focus();
    return el;
  }

  document.querySelectorAll('.panel[data-question]').forEach(scorePanel);
  document.querySelectorAll('.comment').forEach(commentPanel);
  document.querySelectorAll('.review-diff section.cell').forEach(function (section) {
    var head = section.querySelector('.cell-head');
    if (!head) return;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'add-comment';
    b.textContent = T.comment;
    b.addEventListener('click', function () { newComment(section, 0); });
    head.appendChild(b);
  });
  document.addEventListener('click', function (e) {
    var ln = e.target.closest && e.target.closest('.review-diff td.ln');
    var code = ln && ln.nextElementSibling;
    if (!code || code.getAttribute('data-side') !== 'right' || !code.hasAttribute('data-line')) return;
    newComment(ln.closest('section.cell'), Number(code.getAttribute('data-line')));
  });

  // Pending saves are sent first; what still cannot be saved is never left behind without asking.
  function leave(url) {
    if (!url) return;
    Promise.all(savers.map(function (s) { return s.flush(); })).then(function () {
      var stuck = savers.some(function (s) { return s.pending(); });
      if (stuck && !window.confirm(T.unsaved)) return;
      leaving = true;
      window.location.href = url;
    });
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && typing(e.target)) return e.target.blur();
    if (e.defaultPrevented || e.metaKey || typing(e.target)) return;
    // [ and ] whatever modifiers typed them (AltGr on French keyboards); Alt+arrows as a browser's Back.
    var back = e.key === '[' || (e.altKey && !e.ctrlKey && e.key === 'ArrowLeft');
    var forth = e.key === ']' || (e.altKey && !e.ctrlKey && e.key === 'ArrowRight');
    if (!back && !forth) return;
    e.preventDefault();
    leave(back ? data.previous : data.next);
  });
  // A link followed while a save is pending (the field it blurred starts one) waits for it.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a || a.target || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    if (!savers.some(function (s) { return s.pending(); })) return;
    e.preventDefault();
    leave(a.href);
  });
  window.addEventListener('beforeunload', function (e) {
    if (leaving || !savers.some(function (s) { return s.pending(); })) return;
    e.preventDefault();
    e.returnValue = '';
  });
  window.labgateDesk = { saversPending: function () { return savers.filter(function (s) { return s.pending(); }).length; } };
})();
`;
