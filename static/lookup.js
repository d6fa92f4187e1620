// duben dictionary: a lookup card for any word of the text (pointer, tap,
// or select and press "l"), and pinyin ruby (off / terms / all), remembered
// like the translation toggle. The article's words (how each paragraph is
// cut, and their entries) are in words.js beside the page, loaded by a
// script element on first use, so file:// works. Hooks: html[data-pinyin],
// the control [data-setting=pinyin], the card [role=tooltip][data-lookup],
// and window.dubenPinyin(text, then) for propose.js.
(function () {
  'use strict';
  var doc = document;
  var html = doc.documentElement;
  var KEY = 'duben.pinyin';
  var MODES = ['off', 'terms', 'all'];
  var LABELS = { off: 'off', terms: 'terms', all: 'all words' };
  var control = doc.querySelector('[data-setting=pinyin]');
  if (!control) return;
  var data = null;
  var waiting = [];
  var loading = false;

  function load(then) {
    if (data) { then(); return; }
    waiting.push(then);
    if (loading) return;
    loading = true;
    window.dubenWords = function (d) {
      data = d;
      wrapAll();
      var w = waiting; waiting = [];
      for (var i = 0; i < w.length; i++) w[i]();
    };
    var s = doc.createElement('script');
    s.src = control.getAttribute('data-words');
    doc.head.appendChild(s);
  }

  function isHan(c) {
    return /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]/.test(c);
  }

  // Wraps each word of a block in <span class="w">, following the cut
  // words.js gives (lengths as letters, a = 1, counted in Han characters).
  // A word that markup cuts in two (half of it in emphasis or a link) is a
  // span in each part, each naming the whole word in data-word; the parts
  // after the first are marked data-rest (ruby goes on the first).
  function wrap(block, lengths) {
    var walker = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest('.pnum, sup, rt') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    // Every Han character in order, as [node, offset].
    var hans = [];
    for (var i = 0; i < nodes.length; i++) {
      for (var j = 0; j < nodes[i].data.length; j++) if (isHan(nodes[i].data[j])) hans.push([i, j]);
    }
    // The words of each node: [offset, length, whole word, a later part].
    var found = nodes.map(function () { return []; });
    for (var k = 0, h = 0; k < lengths.length && h < hans.length; k++) {
      var length = lengths.charCodeAt(k) - 96;
      var parts = wordParts(nodes, hans, h, length);
      h += length;
      if (!parts) continue;
      var word = parts.map(function (p) { return nodes[p[0]].data.substr(p[1], p[2]); }).join('');
      if (!own.call(data.w, word) && !(own.call(data.t, word) && data.t[word])) continue;
      for (var q = 0; q < parts.length; q++) found[parts[q][0]].push([parts[q][1], parts[q][2], parts.length > 1 ? word : '', q > 0]);
    }
    for (i = 0; i < nodes.length; i++) {
      if (found[i].length) replaceWithWords(nodes[i], found[i]);
    }
  }

  // The parts of the word of `length` Han characters from hans[start]: a
  // part for each text node it is in, or null when it is not whole (the
  // text ends first, or something other than a node boundary cuts it).
  function wordParts(nodes, hans, start, length) {
    if (start + length > hans.length) return null;
    var parts = [];
    for (var x = start; x < start + length; x++) {
      var at = hans[x];
      var last = parts[parts.length - 1];
      if (last && last[0] === at[0] && last[1] + last[2] === at[1]) { last[2]++; continue; }
      if (last && (last[0] === at[0] || last[1] + last[2] !== nodes[last[0]].data.length || at[1] !== 0)) return null;
      parts.push([at[0], at[1], 1]);
    }
    return parts;
  }

  function replaceWithWords(node, words) {
    var text = node.data;
    var parent = node.parentNode;
    var done = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w[0] > done) parent.insertBefore(doc.createTextNode(text.slice(done, w[0])), node);
      var span = doc.createElement('span');
      span.className = 'w';
      span.textContent = text.substr(w[0], w[1]);
      if (w[2]) span.setAttribute('data-word', w[2]);
      if (w[3]) span.setAttribute('data-rest', '');
      parent.insertBefore(span, node);
      done = w[0] + w[1];
    }
    if (done < text.length) parent.insertBefore(doc.createTextNode(text.slice(done)), node);
    parent.removeChild(node);
  }

  function wrapAll() {
    for (var id in data.p) {
      var block = id === 'abstract' ? doc.querySelector('.abstract-zh') : doc.getElementById(id);
      if (block) wrap(block, data.p[id]);
    }
    ruby(html.dataset.pinyin || 'off');
  }

  // The characters a word span shows (without its ruby's reading), and
  // the word it is part of.
  function shownOf(span) {
    var c = span.firstChild;
    if (c && c.nodeName === 'RUBY') c = c.firstChild;
    return c && c.nodeType === 3 ? c.data : span.textContent;
  }
  function wordOf(span) { return span.getAttribute('data-word') || shownOf(span); }

  // Own keys only: a selection may be "constructor".
  var own = Object.prototype.hasOwnProperty;
  function reading(word) {
    if (own.call(data.t, word)) return data.t[word][1];
    var e = own.call(data.w, word) ? data.w[word] : null;
    return e && e.length ? e[0][0] : '';
  }

  // The text nodes of `root` a reader sees as its characters: not the
  // readings ruby adds.
  function shownText(root) {
    return doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) { return n.parentNode.closest('rt') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
  }
  // A point of the text (in a text node, or between an element's
  // children: a triple click selects so) as a count of the characters of
  // `root` before it: it outlives the wrapping of words and ruby, which
  // replace text nodes. -1 for a point outside `root`.
  function offsetOf(root, node, offset) {
    if (!root.contains(node)) return -1;
    var upTo = doc.createRange();
    upTo.setStart(root, 0);
    upTo.setEnd(node, offset);
    var walker = shownText(root), count = 0;
    while (walker.nextNode()) {
      var t = walker.currentNode;
      if (t === node) return count + offset;
      if (upTo.comparePoint(t, t.data.length) !== 0) break;
      count += t.data.length;
    }
    return count;
  }
  // The text node and offset `count` characters into `root`; where that
  // falls between two nodes, the start of the next (`ahead`, for the start
  // of a selection) or the end of the last.
  function pointAt(root, count, ahead) {
    var walker = shownText(root), last = null;
    while (walker.nextNode()) {
      last = walker.currentNode;
      if (count < last.data.length || (count === last.data.length && !ahead)) return [last, count];
      count -= last.data.length;
    }
    return last ? [last, last.data.length] : null;
  }
  // The bottom of the tools bar, which stays at the top of the screen
  // (its height changes with its labels, on a phone by a row).
  function barBottom() {
    var bar = doc.querySelector('[data-tools]');
    return bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
  }
  // Where the reader is: the character just below the tools bar, as its
  // block, its place in the block and how far below the bar it is.
  function readingPlace() {
    var y = barBottom() + 4;
    var blocks = doc.querySelectorAll('.text p[id], .text .block[id], .abstract-zh');
    for (var b = 0; b < blocks.length; b++) {
      var r = blocks[b].getBoundingClientRect();
      if (r.bottom <= y) continue;
      // Mid-line: at a line's start the caret may belong to the line above.
      var at = shownPoint(caretAt(r.left + r.width / 2, Math.max(y, r.top + 2)));
      var count = at && blocks[b].contains(at[0]) ? offsetOf(blocks[b], at[0], at[1]) : -1;
      return { block: blocks[b], count: count, below: topOf(blocks[b], count) - barBottom() };
    }
    return null;
  }
  // The text node and offset at a point of the screen, where the browser
  // can say (caretPositionFromPoint is the standard, caretRangeFromPoint
  // older WebKit and Blink).
  function caretAt(x, y) {
    if (doc.caretPositionFromPoint) {
      var p = doc.caretPositionFromPoint(x, y);
      return p ? [p.offsetNode, p.offset] : null;
    }
    var r = doc.caretRangeFromPoint ? doc.caretRangeFromPoint(x, y) : null;
    return r ? [r.startContainer, r.startOffset] : null;
  }
  // A caret position as a character of the text: over a reading, its
  // word's first character; between elements, the first character after.
  function shownPoint(at) {
    if (!at) return null;
    var node = at[0];
    var element = node.nodeType === 1 ? node : node.parentNode;
    var rt = element && element.closest('rt');
    if (rt) return rt.parentNode.firstChild.nodeType === 3 ? [rt.parentNode.firstChild, 0] : null;
    if (node.nodeType === 3) return at;
    var next = node.childNodes[at[1]];
    if (!next) return null;
    if (next.nodeType === 3) return [next, 0];
    var walker = shownText(next);
    return walker.nextNode() ? [walker.currentNode, 0] : null;
  }
  function topOf(block, count) {
    var point = count >= 0 ? pointAt(block, count, true) : null;
    if (!point) return block.getBoundingClientRect().top;
    var range = doc.createRange();
    range.setStart(point[0], point[1]);
    range.setEnd(point[0], Math.min(point[1] + 1, point[0].data.length));
    var rects = range.getClientRects();
    return rects.length ? rects[0].top : block.getBoundingClientRect().top;
  }
  function keepPlace(place) {
    if (place) window.scrollBy(0, topOf(place.block, place.count) - barBottom() - place.below);
  }

  // Ruby on every word (all) or on glossary words only (terms); the place
  // the reader was at (`place`, if measured before, else now) stays where
  // it was.
  function ruby(mode, place) {
    if (!data) return;
    place = place || readingPlace();
    var spans = doc.querySelectorAll('span.w');
    for (var i = 0; i < spans.length; i++) {
      var s = spans[i];
      var word = wordOf(s);
      var shown = shownOf(s);
      var want = !s.hasAttribute('data-rest') && (mode === 'all' || (mode === 'terms' && (data.t[word] || s.closest('a.term'))));
      var rt = s.querySelector('rt');
      if (want && !rt) {
        var py = reading(word);
        if (!py) continue;
        var rb = doc.createElement('ruby');
        rb.textContent = shown;
        var t = doc.createElement('rt');
        t.textContent = py;
        rb.appendChild(t);
        s.textContent = '';
        s.appendChild(rb);
      } else if (!want && rt) {
        s.textContent = shown;
      }
    }
    keepPlace(place);
  }

  // Pinyin for any text of the article (a term proposed by propose.js):
  // the whole text's reading where it is one word, else each word's, the
  // longest match first, joined by spaces; letters and digits stay as
  // written; '' when a character has no reading.
  function pinyinOf(text) {
    text = text.trim();
    var whole = reading(text);
    if (whole) return whole;
    var out = [];
    var other = '';
    for (var i = 0; i < text.length;) {
      if (!isHan(text[i])) {
        if (/[A-Za-z0-9]/.test(text[i])) other += text[i];
        else if (/[^\s\p{P}]/u.test(text[i])) return '';
        else if (other) { out.push(other); other = ''; }
        i++;
        continue;
      }
      if (other) { out.push(other); other = ''; }
      var n = Math.min(26, text.length - i);
      for (; n > 0; n--) {
        var py = reading(text.substr(i, n));
        if (py) break;
      }
      if (!n) return '';
      out.push(py);
      i += n;
    }
    if (other) out.push(other);
    return out.join(' ');
  }
  window.dubenPinyin = function (text, then) {
    load(function () { then(pinyinOf(String(text))); });
  };

  function setMode(mode, remember) {
    // Measured before the mode's own line height moves the text.
    var place = readingPlace();
    html.dataset.pinyin = mode;
    control.querySelector('[data-pinyin-label]').textContent = LABELS[mode];
    control.setAttribute('aria-pressed', String(mode !== 'off'));
    if (remember) { try { localStorage.setItem(KEY, mode); } catch (e) { /* private mode */ } }
    // Once the words have come, wrapAll puts on the ruby of the mode then
    // chosen; until then only the line height has moved the text.
    if (data) ruby(mode, place);
    else {
      keepPlace(place);
      if (mode !== 'off') load(function () {});
    }
  }

  control.hidden = false;
  control.addEventListener('click', function () {
    var now = MODES.indexOf(html.dataset.pinyin || 'off');
    setMode(MODES[(now + 1) % MODES.length], true);
  });
  setMode(MODES.indexOf(html.dataset.pinyin) >= 0 ? html.dataset.pinyin : 'off', false);

  // The lookup card.
  var card = null, live = null, current = null, hideTimer = 0, showTimer = 0;
  function cardElement() {
    if (card) return card;
    card = doc.createElement('div');
    card.className = 'term-card lookup-card';
    card.id = 'lookup-card';
    card.setAttribute('role', 'tooltip');
    card.setAttribute('data-lookup', '');
    card.hidden = true;
    card.addEventListener('pointerenter', function () { clearTimeout(hideTimer); });
    card.addEventListener('pointerleave', function (e) { if (e.pointerType !== 'touch') hideSoon(); });
    live = doc.createElement('div');
    live.className = 'visually-hidden';
    live.setAttribute('aria-live', 'polite');
    // Inside the main landmark, as everything on the page is.
    var main = doc.querySelector('main') || doc.body;
    main.appendChild(card);
    main.appendChild(live);
    return card;
  }
  function add(parent, tag, text, cls, lang) {
    var el = doc.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    if (lang) el.lang = lang;
    parent.appendChild(el);
    return el;
  }
  function show(word, target) {
    clearTimeout(hideTimer);
    var box = cardElement();
    box.textContent = '';
    var entries = data.w[word] || [];
    var head = add(box, 'p', word, 'lookup-word');
    var py = reading(word);
    if (py) add(head, 'span', ' ' + py, 'lookup-pinyin', 'zh-Latn-pinyin');
    var trad = entries.length && entries[0][1];
    if (trad) add(box, 'p', '繁体 ' + trad, 'lookup-trad');
    var list = add(box, 'ol', '', 'lookup-senses', 'en');
    var senses = 0;
    for (var i = 0; i < entries.length && senses < 3; i++) {
      var parts = entries[i][2] ? entries[i][2].split(' / ') : [];
      for (var j = 0; j < parts.length && senses < 3; j++, senses++) {
        add(list, 'li', (entries.length > 1 ? entries[i][0] + ': ' : '') + parts[j]);
      }
    }
    if (!senses) list.remove();
    var term = data.t[word];
    if (term) {
      var a = add(box, 'a', '术语 Glossary', 'lookup-term');
      a.href = '../glossary/index.html#term-' + term[0];
    }
    box.hidden = false;
    current = target;
    place(target, box);
    live.textContent = box.textContent;
  }
  function hide() {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (card) card.hidden = true;
    current = null;
  }
  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 300); }
  // Below the word, or above it without room; never over it.
  function place(target, box) {
    var r = target.getBoundingClientRect();
    box.style.left = '0px';
    box.style.top = '0px';
    var w = box.offsetWidth, h = box.offsetHeight, m = 8;
    var left = Math.max(m, Math.min(r.left, html.clientWidth - w - m));
    var top = r.bottom + 4;
    if (top + h > window.innerHeight - m && r.top - 4 - h >= m) top = r.top - 4 - h;
    box.style.left = left + window.scrollX + 'px';
    box.style.top = top + window.scrollY + 'px';
  }

  function wordSpan(el) {
    var s = el && el.closest ? el.closest('span.w') : null;
    return s && !s.closest('a.term') ? s : null;
  }
  // Every part of the word `span` is in that a lookup answers for: itself,
  // or, for a word that markup cuts, the first part and each data-rest part
  // after it (a word never spans two blocks), less any part in a term link,
  // which shows the term's card instead.
  function partsOf(span) {
    if (!span.hasAttribute('data-word')) return [span];
    var block = span.closest('.text p, .text .block, .abstract-zh') || text;
    var all = Array.prototype.slice.call(block.querySelectorAll('span.w'));
    var first = all.indexOf(span), last = first;
    while (first > 0 && all[first].hasAttribute('data-rest')) first--;
    while (last + 1 < all.length && all[last + 1].hasAttribute('data-rest')) last++;
    return all.slice(first, last + 1).filter(function (part) { return !part.closest('a.term'); });
  }
  // The parts the pointer is over are shaded together (:hover shades one).
  var shaded = [];
  function shade(parts) {
    for (var i = 0; i < shaded.length; i++) shaded[i].classList.remove('w-hover');
    shaded = parts.length > 1 ? parts : [];
    for (i = 0; i < shaded.length; i++) shaded[i].classList.add('w-hover');
  }
  var text = doc.querySelector('.article');
  if (!text) return;
  text.addEventListener('pointerover', function (e) {
    if (!data) { if (e.target.closest && e.target.closest('.text p, .text .block, .abstract-zh')) load(function () {}); return; }
    var s = wordSpan(e.target);
    // A button held down is a selection being dragged: no card comes to
    // stand in its way.
    if (!s || e.pointerType === 'touch' || e.buttons) return;
    shade(partsOf(s));
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(wordOf(s), s); }, 100);
  });
  text.addEventListener('pointerout', function (e) {
    if (e.pointerType !== 'touch' && wordSpan(e.target)) { shade([]); clearTimeout(showTimer); hideSoon(); }
  });
  // A tap comes before the words when nothing has pointed at the text
  // yet (a phone): the word under it is looked up once they have come,
  // unless the reader has tapped again since.
  var pending = null;
  text.addEventListener('click', function (e) {
    if (data) {
      var s = wordSpan(e.target);
      if (s) show(wordOf(s), s);
      return;
    }
    if (!e.target.closest || !e.target.closest('.text p, .text .block, .abstract-zh') || e.target.closest('a.term')) return;
    var tap = pending = { x: e.pageX, y: e.pageY };
    // Meanwhile a card at the tap says that the lookup is coming.
    var box = cardElement();
    box.textContent = '…';
    box.setAttribute('aria-busy', 'true');
    box.hidden = false;
    current = null;
    place({ getBoundingClientRect: function () { return { left: e.clientX, top: e.clientY - 8, bottom: e.clientY + 8 }; } }, box);
    load(function () {
      box.removeAttribute('aria-busy');
      if (pending !== tap) return;
      pending = null;
      var under = wordSpan(doc.elementFromPoint(tap.x - window.scrollX, tap.y - window.scrollY));
      if (under) show(wordOf(under), under);
      else hide();
    });
  });
  doc.addEventListener('pointerdown', function (e) {
    pending = null;
    // A tap on the word keeps its card; a mouse pressed anywhere but on
    // the card may start a selection, which the card would be in the way
    // of (a click on the word shows it again).
    var onWord = current && current.contains(e.target) && e.pointerType === 'touch';
    if (card && !card.contains(e.target) && !onWord) { shade([]); hide(); }
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { hide(); return; }
    if (e.key !== 'l' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest('input, textarea, select, [contenteditable]')) return;
    var sel = window.getSelection();
    if (!sel || !sel.rangeCount || !text.contains(sel.anchorNode)) return;
    var chosen = sel.toString().trim();
    // Wrapping the words replaces the text nodes the selection is in.
    var kept = data ? null : [offsetOf(text, sel.anchorNode, sel.anchorOffset), offsetOf(text, sel.focusNode, sel.focusOffset)];
    load(function () {
      if (kept && kept[0] >= 0 && kept[1] >= 0) {
        var forward = kept[0] <= kept[1];
        var from = pointAt(text, kept[0], forward), to = pointAt(text, kept[1], !forward);
        if (from && to) sel.setBaseAndExtent(from[0], from[1], to[0], to[1]);
      }
      var node = sel.anchorNode && sel.anchorNode.nodeType === 3 ? sel.anchorNode.parentNode : sel.anchorNode;
      var s = wordSpan(node);
      var word = chosen && (data.w[chosen] || data.t[chosen]) ? chosen : s ? wordOf(s) : '';
      if (!word) return;
      var range = sel.getRangeAt(0);
      show(word, s && !chosen ? s : { getBoundingClientRect: function () { return range.getBoundingClientRect(); }, contains: function () { return false; } });
    });
  });
  window.addEventListener('resize', hide);
})();
