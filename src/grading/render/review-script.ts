/**
 * The fragment's behaviour as plain JS, delegated from `document` so later-inserted fragments work too;
 * `labgateReviewDiff.reveal(anchor)` unfolds and shows a block (for a page's links to comments).
 */
export const reviewDiffScript = `(function () {
  'use strict';
  if (window.labgateReviewDiff) return;
  var ROOT = '.review-diff';
  var current = null;

  function unfold(fold) {
    if (!fold) return;
    var body = fold.querySelector('.fold-body');
    var button = fold.querySelector('.unfold');
    if (body) body.hidden = false;
    if (button) button.hidden = true;
    fold.classList.add('open');
  }

  function changes() {
    return Array.prototype.slice.call(
      document.querySelectorAll(ROOT + ' section.cell:not([data-op="unchanged"])'),
    );
  }

  function show(cell) {
    if (current) current.classList.remove('current');
    current = cell;
    cell.classList.add('current');
    cell.scrollIntoView({ block: 'start' });
  }

  function visible(cell) {
    var r = cell.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }

  // From the change last jumped to while it is on screen, else from where the reader has scrolled to.
  function go(step) {
    var list = changes();
    var at = current ? list.indexOf(current) : -1;
    var i = -1;
    if (at >= 0 && visible(current)) i = at + step;
    else if (step > 0) {
      for (var a = 0; a < list.length && i < 0; a++) if (list[a].getBoundingClientRect().top > 1) i = a;
    } else {
      for (var b = list.length - 1; b >= 0 && i < 0; b--) if (list[b].getBoundingClientRect().top < -1) i = b;
    }
    if (i >= 0 && i < list.length) show(list[i]);
  }

  function typing(t) {
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (!document.querySelector(ROOT)) return;
    if (e.key === 'n' || e.key === 'j') { e.preventDefault(); go(1); }
    else if (e.key === 'p' || e.key === 'k') { e.preventDefault(); go(-1); }
  });

  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest(ROOT + ' button') : null;
    if (!b) return;
    if (b.classList.contains('unfold')) unfold(b.closest('.fold'));
    else if (b.classList.contains('next-change')) go(1);
    else if (b.classList.contains('prev-change')) go(-1);
    else if (b.classList.contains('unfold-all'))
      Array.prototype.forEach.call(b.closest(ROOT).querySelectorAll('.fold'), unfold);
  });

  function reveal(anchor) {
    var cells = document.querySelectorAll(ROOT + ' section.cell');
    for (var k = 0; k < cells.length; k++)
      if (cells[k].getAttribute('data-anchor') === anchor) {
        unfold(cells[k].closest('.fold'));
        show(cells[k]);
        return cells[k];
      }
    return null;
  }

  window.labgateReviewDiff = {
    reveal: reveal,
    next: function () { go(1); },
    previous: function () { go(-1); },
  };
})();
`;
