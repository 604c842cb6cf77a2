/**
 * Saving as the grader types, for the desk's script (`deskScript`, loaded after this one): one save at
 * a time per panel, re-sent when edited meanwhile, from the version it last saw; a save refused because
 * another grader saved first stops that panel and shows both versions until the grader chooses.
 */
export const deskSavesScript = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('desk-data').textContent);
  var T = data.texts;
  var savers = [];

  function own(el, selector) {
    var all = el.querySelectorAll(selector);
    for (var i = 0; i < all.length; i++) if (all[i].closest('.panel, .comment') === el) return all[i];
    return null;
  }
  function post(path, body) {
    return fetch(data.base + path + '?lang=' + data.lang, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': data.csrf },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        return { status: res.status, json: json };
      });
    });
  }
  function said(json) {
    var e = json && json.error;
    return e ? e.message + (e.hint ? ' ' + e.hint : '') : T.network;
  }

  // One panel's saves: serialised, re-sent when edited meanwhile, stopped on a conflict until resolved.
  function saver(el, o) {
    var timer = null, inFlight = false, dirty = false, blocked = false, last = Promise.resolve();
    var state = own(el, '.save-state');
    function show(kind, text) {
      state.setAttribute('data-state', kind);
      state.textContent = text;
    }
    function flush() {
      clearTimeout(timer);
      if (!dirty || inFlight || blocked) return last;
      var body = o.body();
      if (!body) { dirty = false; return last; }
      dirty = false;
      inFlight = true;
      show('saving', T.saving);
      last = o.send(body).then(function (r) {
        inFlight = false;
        if (r.status === 200) {
          o.saved(r.json.saved);
          if (dirty) return flush();
          show('saved', T.saved);
        } else if (r.status === 409) {
          blocked = true;
          show('conflict', '');
          o.conflict(r.json.current, r.json.by);
        } else {
          dirty = true;
          show('error', T.notSaved + ' ' + said(r.json));
        }
      }, function () {
        inFlight = false;
        dirty = true;
        show('error', T.notSaved + ' ' + T.network);
      });
      return last;
    }
    var s = {
      changed: function () { dirty = true; clearTimeout(timer); timer = setTimeout(flush, 800); },
      now: function () { dirty = true; return flush(); },
      flush: flush,
      resolved: function (saveMine) {
        blocked = false;
        var box = own(el, '.conflict');
        box.hidden = true;
        box.textContent = '';
        if (saveMine) return s.now();
        show('saved', T.saved);
      },
      pending: function () { return dirty || inFlight || blocked; },
      show: show,
    };
    savers.push(s);
    return s;
  }

  function conflictBox(el, s, text, takeTheirs) {
    var box = own(el, '.conflict');
    box.textContent = '';
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    [[T.takeTheirs, function () { takeTheirs(); s.resolved(false); }], [T.keepMine, function () { s.resolved(true); }]]
      .forEach(function (b) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = b[0];
        button.addEventListener('click', b[1]);
        box.appendChild(button);
      });
    box.hidden = false;
  }
  function watch(el, s) {
    el.addEventListener('input', function (e) { if (e.target.type !== 'checkbox') s.changed(); });
    el.addEventListener('change', function () { s.now(); });
  }

  window.labgateDeskSaves = { data: data, T: T, savers: savers, own: own, post: post, said: said,
    saver: saver, conflictBox: conflictBox, watch: watch };
})();
`;
