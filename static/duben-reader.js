// duben reader apparatus, loaded on reader pages only: copying gives the
// author's text alone, printing opens what is folded and names the page's
// address, a paragraph number offers "cite this paragraph", notes go in the
// margin. Without it a paragraph number is a plain permalink and copying is
// the browser's own.
(function () {
  'use strict';
  var doc = document;

  // Editors' apparatus, left out when the author's text is copied, and
  // marks that are not text (a link's "external site").
  var APPARATUS = '.pnum, .note, .translation, .events, .footnote-ref, .questions, .cite-panel, ' +
    '.tr-toggle, rt, rp, template, [data-apparatus], [data-not-text]';
  var BLOCK = /^(P|H[1-6]|LI|BLOCKQUOTE|PRE|DIV|SECTION|ASIDE|ARTICLE|UL|OL|DL|DT|DD|TABLE|TR|FIGURE|FIGCAPTION)$/;
  var CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

  // Line breaks inside a paragraph are the source's, not the author's:
  // between two Chinese characters they vanish, elsewhere they are a space.
  function tidy(text) {
    return text.replace(/[ \t]*\n\s*/g, function (gap, at, whole) {
      var before = whole.charAt(at - 1);
      var after = whole.charAt(at + gap.length);
      return CJK.test(before) && CJK.test(after) ? '' : ' ';
    }).replace(/^\s+|\s+$/g, '');
  }

  function collect(node, parts, buffer) {
    for (var child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        buffer.text += child.data;
      } else if (child.nodeType === 1) {
        if (child.tagName === 'BR') {
          buffer.text += '\n';
        } else if (BLOCK.test(child.tagName)) {
          flush(parts, buffer);
          collect(child, parts, buffer);
          flush(parts, buffer);
        } else {
          collect(child, parts, buffer);
        }
      }
    }
  }

  function flush(parts, buffer) {
    var text = tidy(buffer.text);
    if (text) parts.push(text);
    buffer.text = '';
  }

  /// The selection's author text, paragraphs separated by blank lines, or
  /// null where the browser's own copy is right (a selection inside a note,
  /// a field, or outside the text).
  function authorText(selection) {
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var text = doc.querySelector('.reader .text');
    var range = selection.getRangeAt(0);
    var common = range.commonAncestorContainer;
    if (common.nodeType !== 1) common = common.parentNode;
    if (!text || !(text.contains(common) || common.contains(text))) return null;
    if (common.closest(APPARATUS + ', input, textarea, [role=tooltip]')) return null;
    var box = doc.createElement('div');
    box.appendChild(range.cloneContents());
    var drop = box.querySelectorAll(APPARATUS);
    for (var i = 0; i < drop.length; i++) drop[i].remove();
    var parts = [];
    var buffer = { text: '' };
    collect(box, parts, buffer);
    flush(parts, buffer);
    return parts.join('\n\n');
  }

  function copying() {
    doc.addEventListener('copy', function (e) {
      if (!e.clipboardData) return;
      var text = authorText(window.getSelection());
      if (text === null) return;
      e.clipboardData.setData('text/plain', text);
      e.preventDefault();
    });
  }

  // The page's own address, without a fragment: the canonical one where the
  // site has a base_url, else where it was opened from.
  function here() {
    var canonical = doc.querySelector('link[rel=canonical]');
    return canonical ? canonical.href : location.href.replace(/#.*$/, '');
  }

  function printing() {
    var slots = doc.querySelectorAll('[data-here]');
    for (var i = 0; i < slots.length; i++) {
      if (!slots[i].textContent.trim()) slots[i].textContent = here();
    }
    // A folded abstract prints whole (duben.css does the same where the
    // browser supports ::details-content), then folds again.
    var opened = [];
    window.addEventListener('beforeprint', function () {
      var folds = doc.querySelectorAll('details.fold:not([open])');
      for (var j = 0; j < folds.length; j++) {
        folds[j].open = true;
        opened.push(folds[j]);
      }
    });
    window.addEventListener('afterprint', function () {
      while (opened.length) opened.pop().open = false;
    });
  }

  // "Cite this paragraph": a paragraph number opens a panel under its
  // paragraph with the reading's citation in three styles, each copyable.
  var STYLES = [['gbt', 'GB/T 7714-2015'], ['apa', 'APA 7'], ['chicago', 'Chicago']];
  var panel = null;
  var opener = null;

  function copyText(text, status) {
    function done(ok) {
      status.textContent = ok ? '已复制 Copied' : '请手动复制 Select and copy by hand';
    }
    function fallback() {
      var area = el('textarea', 'visually-hidden');
      area.value = text;
      area.setAttribute('readonly', '');
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      area.remove();
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function closePanel(refocus) {
    if (!panel) return;
    panel.remove();
    panel = null;
    if (opener) opener.setAttribute('aria-expanded', 'false');
    if (refocus && opener) opener.focus();
    opener = null;
  }

  function openPanel(number, link) {
    var forms = doc.getElementById('cite-forms');
    var unit = link.closest('.unit');
    if (!forms || !forms.content || !unit) return false;
    var reopen = panel && opener === link;
    closePanel(false);
    if (reopen) return true;
    var url = here() + '#' + link.getAttribute('href').slice(1);
    panel = el('section', 'cite-panel');
    panel.setAttribute('data-cite', '');
    panel.setAttribute('role', 'region');
    panel.setAttribute('tabindex', '-1');
    panel.setAttribute('aria-label', '引用本段 Cite ¶' + number);
    panel.setAttribute('lang', 'en');
    var head = el('p', 'cite-head');
    head.appendChild(el('b', '', '引用本段 '));
    head.lastChild.setAttribute('lang', 'zh-Hans');
    head.appendChild(doc.createTextNode('Cite ¶' + number));
    panel.appendChild(head);
    var status = el('p', 'cite-status');
    status.setAttribute('role', 'status');
    function row(label, text) {
      var box = el('div', 'cite-style');
      box.appendChild(el('p', 'cite-label', label));
      var body = el('p', 'cite-text', text);
      if (CJK.test(text)) body.setAttribute('lang', 'zh-Hans');
      box.appendChild(body);
      var button = el('button', 'cite-copy', 'Copy');
      button.type = 'button';
      button.setAttribute('aria-label', 'Copy ' + label);
      button.addEventListener('click', function () { copyText(text, status); });
      box.appendChild(button);
      panel.appendChild(box);
    }
    for (var i = 0; i < STYLES.length; i++) {
      var form = forms.content.querySelector('[data-style=' + STYLES[i][0] + ']');
      if (!form) continue;
      row(STYLES[i][1], form.textContent.replace(/%P/g, number).replace(/%U/g, url));
    }
    row('Permalink', url);
    var close = el('button', 'cite-close', 'Close');
    close.type = 'button';
    close.addEventListener('click', function () { closePanel(true); });
    panel.appendChild(close);
    panel.appendChild(status);
    panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        e.stopPropagation();
        closePanel(true);
      }
    });
    var paragraph = link.parentNode;
    paragraph.parentNode.insertBefore(panel, paragraph.nextSibling);
    opener = link;
    link.setAttribute('aria-expanded', 'true');
    panel.focus({ preventScroll: true });
    return true;
  }

  function citing() {
    if (!doc.getElementById('cite-forms')) return;
    var numbers = doc.querySelectorAll('.text a.pnum');
    for (var i = 0; i < numbers.length; i++) {
      numbers[i].setAttribute('aria-expanded', 'false');
      numbers[i].setAttribute('title', '引用本段 Cite this paragraph');
    }
    doc.addEventListener('click', function (e) {
      var link = e.target.closest && e.target.closest('.text a.pnum');
      if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
      if (openPanel(link.textContent.trim(), link)) e.preventDefault();
    });
  }


  // Each translated paragraph gets its own "译 English" switch beside its
  // number; the global toggle sets them all. A paragraph's own choice
  // lasts for the page.
  function paragraphTranslations() {
    var units = doc.querySelectorAll('.text .unit');
    var html = doc.documentElement;
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      var translation = unit.querySelector(':scope > .translation');
      var number = unit.querySelector(':scope > [id] > .pnum');
      if (!translation || !number) continue;
      var button = el('button', 'tr-toggle', '译');
      button.type = 'button';
      button.setAttribute('lang', 'zh-Hans');
      button.setAttribute('aria-label', 'English translation of ¶' + number.textContent.trim());
      unit.insertBefore(button, unit.firstChild);
    }
    function sync() {
      var all = html.classList.contains('show-translations');
      var buttons = doc.querySelectorAll('.tr-toggle');
      for (var j = 0; j < buttons.length; j++) {
        var u = buttons[j].parentNode;
        var shown = u.classList.contains('tr-open') || (all && !u.classList.contains('tr-closed'));
        buttons[j].setAttribute('aria-pressed', String(shown));
      }
    }
    doc.addEventListener('click', function (e) {
      var button = e.target.closest && e.target.closest('.tr-toggle');
      if (button) {
        var u = button.parentNode;
        var shown = button.getAttribute('aria-pressed') === 'true';
        u.classList.toggle('tr-open', !shown);
        u.classList.toggle('tr-closed', shown);
        sync();
      } else if (e.target.closest && e.target.closest('[data-toggle=translations]')) {
        // The global toggle decides for every paragraph again.
        var opened = doc.querySelectorAll('.unit.tr-open, .unit.tr-closed');
        for (var k = 0; k < opened.length; k++) opened[k].classList.remove('tr-open', 'tr-closed');
        setTimeout(sync, 0);
      }
    });
    sync();
  }

  // Navigation: the section being read is marked in the contents, the
  // reader's place is remembered per reading and offered on return, and on
  // a phone "Contents" opens the folded contents.
  function navigation() {
    var toc = doc.getElementById('toc');
    var links = toc ? toc.querySelectorAll('a[href^="#"]') : [];
    var byId = {};
    for (var i = 0; i < links.length; i++) byId[links[i].getAttribute('href').slice(1)] = links[i];
    var headings = doc.querySelectorAll('.text h2[id], .text h3[id]');
    var paragraphs = doc.querySelectorAll('.text .unit > [id^=p]');
    var article = doc.querySelector('[data-slug]');
    var KEY = 'duben.place.' + (article ? article.getAttribute('data-slug') : location.pathname);
    var marked = null;
    var saveTimer = 0;

    function firstBelow(list, y) {
      // The last element whose top is above y (binary search: in order).
      var lo = 0, hi = list.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (list[mid].getBoundingClientRect().top <= y) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }

    function update() {
      var at = firstBelow(headings, window.innerHeight / 3);
      var link = at >= 0 ? byId[headings[at].id] : null;
      if (link !== marked) {
        if (marked) marked.removeAttribute('aria-current');
        if (link) link.setAttribute('aria-current', 'location');
        marked = link;
      }
      clearTimeout(saveTimer);
      saveTimer = setTimeout(function () {
        var p = firstBelow(paragraphs, 80);
        if (p < 0) return;
        try { localStorage.setItem(KEY, paragraphs[p].id); } catch (e) { /* private mode */ }
      }, 400);
    }

    var pending = false;
    window.addEventListener('scroll', function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; update(); });
    }, { passive: true });

    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    var slot = doc.querySelector('[data-continue]');
    var target = saved && /^p\d+$/.test(saved) && doc.getElementById(saved);
    if (slot && target && !location.hash && saved !== 'p1' && saved !== 'p2') {
      var go = el('a', 'continue', '继续阅读 ¶' + saved.slice(1) + ' ');
      go.href = '#' + saved;
      var en = el('span', '', 'Continue at ¶' + saved.slice(1));
      en.setAttribute('lang', 'en');
      go.appendChild(en);
      go.addEventListener('click', function () { slot.hidden = true; });
      slot.appendChild(go);
      slot.hidden = false;
    }
    update();

    // "Contents" on a phone opens the folded contents it jumps to.
    var jump = doc.querySelector('.to-toc');
    if (jump && toc) {
      jump.addEventListener('click', function () {
        var fold = toc.querySelector('details');
        if (fold) fold.open = true;
      });
    }
  }

  // Keyboard: one Tab stop per paragraph for its terms; arrow keys move
  // between them, and Down moves into the open card (its "Full entry"
  // link); Escape comes back.
  function keyboard() {
    var blocks = doc.querySelectorAll('.text .unit > [id^=p]');
    for (var i = 0; i < blocks.length; i++) {
      var terms = blocks[i].querySelectorAll('a.term');
      for (var j = 1; j < terms.length; j++) terms[j].setAttribute('tabindex', '-1');
    }
    doc.addEventListener('keydown', function (e) {
      var term = e.target.closest && e.target.closest('.text a.term');
      if (!term || e.altKey || e.ctrlKey || e.metaKey) return;
      var block = term.closest('.unit > [id^=p]');
      if (!block) return;
      var list = Array.prototype.slice.call(block.querySelectorAll('a.term'));
      var at = list.indexOf(term);
      var next = null;
      if (e.key === 'ArrowRight') next = list[at + 1];
      else if (e.key === 'ArrowLeft') next = list[at - 1];
      else if (e.key === 'Home') next = list[0];
      else if (e.key === 'End') next = list[list.length - 1];
      else if (e.key === 'ArrowDown') {
        var card = doc.getElementById('term-card');
        var link = card && !card.hidden && card.querySelector('a');
        if (link) {
          e.preventDefault();
          link.focus();
        }
        return;
      }
      if (!next) return;
      e.preventDefault();
      term.setAttribute('tabindex', '-1');
      next.setAttribute('tabindex', '0');
      next.focus();
    });
    // A card opened by the keyboard says how to reach its link (duben.js
    // says when a card is shown: its file may come after the focus).
    doc.addEventListener('duben:card', function (e) {
      if (e.target !== doc.activeElement || !e.target.matches('.text a.term')) return;
      var card = doc.getElementById('term-card');
      if (!card || card.hidden || card.querySelector('.card-keys')) return;
      var hint = el('p', 'card-keys', '↓ full entry · ← → other terms · Esc close');
      hint.setAttribute('lang', 'en');
      card.appendChild(hint);
    });
  }

  // Reading settings, remembered; base.html applies them before the first
  // paint, this keeps the controls and the page in step.
  function settings() {
    var box = doc.querySelector('[data-settings]');
    if (!box) return;
    var KEY = 'duben.settings';
    var chosen = {};
    try { chosen = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { chosen = {}; }
    var inputs = box.querySelectorAll('input[data-setting]');
    for (var i = 0; i < inputs.length; i++) {
      var name = inputs[i].getAttribute('data-setting');
      if (chosen[name]) inputs[i].checked = chosen[name] === inputs[i].value;
    }
    box.addEventListener('change', function (e) {
      var input = e.target;
      var name = input.getAttribute('data-setting');
      if (!name) return;
      if (input.defaultChecked) {
        delete chosen[name];
        doc.documentElement.removeAttribute('data-' + name);
      } else {
        chosen[name] = input.value;
        doc.documentElement.setAttribute('data-' + name, input.value);
      }
      try { localStorage.setItem(KEY, JSON.stringify(chosen)); } catch (err) { /* private mode */ }
    });
    box.hidden = false;
  }

  // Notes in the margin: on a wide screen (duben-reader.css) each note
  // stands beside the phrase it is about, or below the note before it. The
  // phrase is marked with the CSS Custom Highlight API, which changes no
  // DOM (copying and term links are untouched; without the API, no mark).
  var NOT_QUOTED = '.pnum, .footnote-ref, rt, rp, [data-not-text]';

  /// `quote` in `block`'s text as a range, or null; white space is ignored
  /// on both sides, as anchors match a quote.
  function quoteRange(block, quote) {
    var want = quote.replace(/\s+/g, '');
    var walker = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var text = '';
    var at = [];
    for (var node; (node = walker.nextNode());) {
      if (node.parentNode.closest(NOT_QUOTED)) continue;
      for (var i = 0; i < node.data.length; i++) {
        if (/\S/.test(node.data[i])) { text += node.data[i]; at.push([node, i]); }
      }
    }
    var found = want ? text.indexOf(want) : -1;
    if (found < 0) return null;
    var first = at[found], last = at[found + want.length - 1];
    var range = doc.createRange();
    range.setStart(first[0], first[1]);
    range.setEnd(last[0], last[1] + 1);
    return range;
  }

  function marginNotes() {
    var text = doc.querySelector('.reader .text');
    var notes = text ? text.querySelectorAll('.unit > .note') : [];
    if (!notes.length) return;
    var wide = matchMedia('screen and (min-width: 84em)');
    var marks = window.Highlight ? CSS.highlights : null;
    var pending = false;

    // Measured in order, placed at the end: a note beside the text is out
    // of its flow. One pushed below its paragraph stays under it (.under).
    function place() {
      pending = false;
      var beside = wide.matches;
      doc.documentElement.classList.toggle('sidenotes', beside);
      var noted = marks && new Highlight();
      var tops = [];
      var below = -Infinity;
      var i, top;
      for (i = 0; i < notes.length; i++) notes[i].classList.remove('under');
      for (i = 0; i < notes.length; i++) {
        var unit = notes[i].parentNode;
        var block = unit.querySelector(':scope > [id]') || unit;
        var quote = notes[i].getAttribute('data-quote');
        var range = quote ? quoteRange(block, quote) : null;
        if (noted && range) noted.add(range);
        if (!beside) continue;
        top = Math.max((range || block).getBoundingClientRect().top, below);
        if (top < block.getBoundingClientRect().bottom) {
          tops[i] = top - unit.getBoundingClientRect().top;
          below = top + notes[i].offsetHeight + 12;
        } else notes[i].classList.add('under');
      }
      if (marks) marks.set('noted', noted);
      if (!beside) return;
      for (i = 0; i < notes.length; i++) if (i in tops) notes[i].style.setProperty('--top', tops[i] + 'px');
      text.style.setProperty('--notes-end', Math.ceil(below - text.getBoundingClientRect().top) + 'px');
      doc.documentElement.classList.add('notes-placed');
    }

    function schedule() {
      if (!pending) requestAnimationFrame(place);
      pending = true;
    }

    place();
    // Translations, settings, pinyin, a citation panel change the text's
    // height; lookup.js's words replace text nodes (collapsing ranges).
    wide.addEventListener('change', schedule);
    new ResizeObserver(schedule).observe(text);
    new MutationObserver(schedule).observe(text, { childList: true, subtree: true });
  }

  copying();
  printing();
  settings();
  citing();
  paragraphTranslations();
  navigation();
  keyboard();
  marginNotes();
})();
