// duben: proposing changes from the reader page, with no server. Selecting
// text inside one paragraph shows a small toolbar (after a keyboard
// selection, the E key moves to it). Each action fills one dialog; on submit
// the page opens GitHub's new-file page with the file already written
// (content/<slug>/notes/<id>.toml or content/glossary/<id>.toml) or its
// new-issue page. Loaded only on a site with a repository; the markup it
// relies on is templates/propose.html, documented in docs/templates.md.
(function () {
  'use strict';
  var doc = document;
  var root = doc.querySelector('[data-propose]');
  if (!root) return;
  var bar = root.querySelector('.propose-bar');
  var message = root.querySelector('[data-propose-message]');
  var dialog = root.querySelector('.propose-dialog');
  var form = root.querySelector('[data-propose-form]');
  if (!bar || !dialog || !form || typeof dialog.showModal !== 'function') return;

  // GitHub answers 414 to longer addresses.
  var URL_LIMIT = 8000;
  // Rust's char::is_whitespace (Unicode White_Space): what `check` ignores
  // when it matches a quote.
  var SPACE = '\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
  var IS_SPACE = new RegExp('[' + SPACE + ']');
  var SPACES = new RegExp('[' + SPACE + ']+', 'g');
  // What is on the page but not in the paragraph's text: its number,
  // footnote numbers, ruby annotations and anything marked data-not-text.
  var NOT_TEXT = '.pnum, .footnote-ref, rt, rp, [data-not-text], script, style, template';
  var PARAGRAPH = '.unit > p[id], .unit > .block[id]';

  // ---- TOML, written so that it always parses to exactly what was typed.
  function escapeChar(c, multiline) {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\b': return '\\b';
      case '\t': return multiline ? '\t' : '\\t';
      case '\n': return multiline ? '\n' : '\\n';
      case '\f': return '\\f';
      case '\r': return '\\r';
    }
    var code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return '\\u' + ('000' + code.toString(16)).slice(-4);
    return c;
  }
  // A basic string: every quote and backslash escaped, every control
  // character written as an escape, so no value can end the string early.
  function tomlString(value) {
    return '"' + String(value).replace(/[\\"\u0000-\u001f\u007f]/g, function (c) { return escapeChar(c, false); }) + '"';
  }
  // A multi-line basic string for Markdown bodies: readable in the pull
  // request, with the same escaping (a line such as [[note]] inside it is
  // only text). The newline after the opening quotes is not part of it.
  function tomlText(value) {
    return '"""\n' + String(value).replace(/[\\"\u0000-\u0008\u000b-\u001f\u007f]/g, function (c) { return escapeChar(c, true); }) + '"""';
  }
  function line(key, value) { return key + ' = ' + tomlString(value) + '\n'; }

  // ---- A paragraph's plain text, as `check` sees it.
  function textOf(paragraph) {
    var nodes = [];
    var raw = '';
    var walker = doc.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var skipped = node.parentNode.closest(NOT_TEXT);
        return skipped && paragraph.contains(skipped) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node: node, start: raw.length });
      raw += node.data;
    }
    // The text without white space, one entry per code point, and where
    // each one is in `raw`.
    var chars = [];
    var at = [];
    for (var i = 0; i < raw.length;) {
      var c = String.fromCodePoint(raw.codePointAt(i));
      if (!IS_SPACE.test(c)) {
        chars.push(c);
        at.push(i);
      }
      i += c.length;
    }
    return { raw: raw, nodes: nodes, chars: chars, at: at, joined: chars.join('') };
  }

  // Where a boundary point of the selection falls in `raw`.
  function offsetOf(text, container, offset) {
    var point = doc.createRange();
    point.setStart(container, offset);
    for (var i = 0; i < text.nodes.length; i++) {
      var n = text.nodes[i];
      if (n.node === container) return n.start + Math.min(offset, n.node.data.length);
      if (point.comparePoint(n.node, 0) >= 0) return n.start;
    }
    return text.raw.length;
  }

  // Index into `chars` of the first character at or after `rawOffset`.
  function charIndex(text, rawOffset) {
    var lo = 0;
    var hi = text.at.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (text.at[mid] < rawOffset) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Occurrences as `check` counts them: left to right, never overlapping.
  function occurrences(haystack, needle) {
    var count = 0;
    for (var at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
    return count;
  }

  // The selection [start, end) grown a character at a time, right then
  // left, until it occurs exactly once in the paragraph.
  function unique(text, start, end) {
    var step = 0;
    while (occurrences(text.joined, text.chars.slice(start, end).join('')) > 1) {
      if ((step++ % 2 === 0 || start === 0) && end < text.chars.length) end++;
      else start--;
    }
    return [start, end];
  }

  // The text of chars [start, end) as the page shows it, white space
  // runs made one space.
  function shown(text, start, end) {
    if (end <= start) return '';
    var last = text.at[end - 1];
    var to = last + String.fromCodePoint(text.raw.codePointAt(last)).length;
    return text.raw.slice(text.at[start], to).replace(SPACES, ' ');
  }

  // ---- The selection: one paragraph, not collapsed, with some text in it.
  function paragraphOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentNode);
    return element && element.closest ? element.closest(PARAGRAPH) : null;
  }

  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var first = paragraphOf(range.startContainer);
    var last = paragraphOf(range.endContainer);
    if (!first && !last) return null;
    if (first !== last) return { range: range, refused: true };
    var text = textOf(first);
    var start = charIndex(text, offsetOf(text, range.startContainer, range.startOffset));
    var end = charIndex(text, offsetOf(text, range.endContainer, range.endOffset));
    if (end <= start) return null;
    var found = unique(text, start, end);
    return {
      range: range,
      paragraph: first,
      number: Number(first.id.replace(/^p/, '')),
      selected: shown(text, start, end),
      quote: shown(text, found[0], found[1]),
      translated: !!first.parentNode.querySelector('.translation')
    };
  }

  // ---- The toolbar.
  var current = null;
  var pointerDown = false;
  var timer = 0;

  function placeBar(range) {
    var rects = range.getClientRects();
    var r = rects.length ? rects[0] : range.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    bar.style.left = '0px';
    bar.style.top = '0px';
    var w = bar.offsetWidth;
    var h = bar.offsetHeight;
    var margin = 8;
    var left = Math.max(margin, Math.min(r.left, width - w - margin));
    // Above the selection, where a term's card (shown below its term)
    // is not; below it only when there is no room above.
    var top = r.top - h - 6;
    if (top < margin) {
      var end = rects.length ? rects[rects.length - 1] : r;
      top = end.bottom + 6;
    }
    // In the coordinates of whatever the bar is positioned against.
    var parent = bar.offsetParent;
    var origin = parent && parent !== doc.body ? parent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    bar.style.left = left - origin.left + 'px';
    bar.style.top = top - origin.top + 'px';
  }

  function showBar() {
    var found = readSelection();
    if (!found) {
      hideBar();
      return;
    }
    current = found;
    var buttons = bar.querySelectorAll('[data-action]');
    for (var i = 0; i < buttons.length; i++) {
      var action = buttons[i].getAttribute('data-action');
      buttons[i].hidden = !!found.refused || (action === 'propose-translation' && found.translated);
    }
    message.textContent = found.refused ? '请在一个段落之内选择。Select text within one paragraph.' : '';
    message.hidden = !found.refused;
    bar.hidden = false;
    placeBar(found.range);
  }

  function hideBar() {
    bar.hidden = true;
    if (!dialog.open) current = null;
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (pointerDown || dialog.open) return;
      if (bar.contains(doc.activeElement)) return;
      showBar();
    }, 150);
  }

  doc.addEventListener('selectionchange', soon);
  doc.addEventListener('pointerdown', function (e) {
    if (bar.contains(e.target) || dialog.contains(e.target)) return;
    pointerDown = true;
  });
  doc.addEventListener('pointerup', function () {
    if (!pointerDown) return;
    pointerDown = false;
    soon();
  });
  // Clicking the toolbar keeps the selection it was shown for.
  bar.addEventListener('mousedown', function (e) { e.preventDefault(); });
  doc.addEventListener('keydown', function (e) {
    if (dialog.open) return;
    var field = e.target.closest && e.target.closest('input, textarea, select, [contenteditable]');
    if (e.key === 'Escape' && !bar.hidden) {
      if (bar.contains(doc.activeElement)) doc.activeElement.blur();
      hideBar();
      return;
    }
    if (field || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((e.key === 'e' || e.key === 'E') && !bar.hidden) {
      // The selection may have changed since the bar was last placed.
      clearTimeout(timer);
      showBar();
      if (bar.hidden) return;
      var first = bar.querySelector('[data-action]:not([hidden])');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  });
  window.addEventListener('resize', function () { if (!bar.hidden && current) placeBar(current.range); });

  // ---- The dialog.
  var title = form.querySelector('[data-propose-title]');
  var where = form.querySelector('[data-propose-where]');
  var bodyLabel = form.querySelector('[data-propose-body-label]');
  var long = form.querySelector('[data-propose-long]');
  var longMessage = form.querySelector('[data-propose-long-message]');
  var tomlBox = form.querySelector('[data-propose-toml]');
  var fallback = form.querySelector('[data-propose-fallback]');
  var action = null;
  var pending = null;
  // Which opening of the dialog a late pinyin answer belongs to.
  var asking = 0;

  var ACTIONS = {
    'propose-note': {
      title: '添加注释 <span lang="en">Add a note</span>',
      body: '注释 <span lang="en">Note (Markdown)</span>',
      fields: ['kind', 'body', 'by'],
      required: ['body']
    },
    'propose-translation': {
      title: '翻译此段 <span lang="en">Translate this paragraph</span>',
      body: '译文 <span lang="en">Translation (Markdown)</span>',
      fields: ['body', 'by'],
      required: ['body']
    },
    'propose-term': {
      title: '提议术语 <span lang="en">Propose a term</span>',
      body: '',
      fields: ['id', 'zh', 'pinyin'],
      required: ['id', 'zh']
    },
    'report-problem': {
      title: '报告问题 <span lang="en">Report a problem</span>',
      body: '哪里有错？应该怎么写？ <span lang="en">What is wrong here, and what should it say?</span>',
      fields: ['body'],
      required: []
    }
  };

  function field(name) { return form.elements.namedItem(name); }

  function randomId() {
    var bytes = new Uint8Array(3);
    (window.crypto || {}).getRandomValues ? window.crypto.getRandomValues(bytes) : bytes.forEach(function (_, i) { bytes[i] = Math.random() * 256; });
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + ('0' + (d.getMonth() + 1)).slice(-2) + ('0' + d.getDate()).slice(-2);
  }

  // Pinyin for the selection from the article's dictionary, where the page
  // has one: lookup.js defines window.dubenPinyin(text, then), loading the
  // words on first use, so `then` may be called at once, later or never.
  function pinyinFor(text, then) {
    if (typeof window.dubenPinyin !== 'function') return;
    try { window.dubenPinyin(text, then); } catch (e) { /* left for the editor */ }
  }

  function slugOf(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  }

  function openDialog(name) {
    if (!current || current.refused) return;
    action = name;
    var spec = ACTIONS[name];
    title.innerHTML = spec.title;
    bodyLabel.innerHTML = spec.body;
    var fieldsOn = form.querySelectorAll('[data-field]');
    for (var i = 0; i < fieldsOn.length; i++) {
      var key = fieldsOn[i].getAttribute('data-field');
      var on = spec.fields.indexOf(key) >= 0;
      fieldsOn[i].hidden = !on;
      var input = field(key);
      input.disabled = !on;
      input.required = spec.required.indexOf(key) >= 0;
    }
    where.textContent = '¶' + current.number + (name === 'propose-translation' ? '' : ' · “' + (name === 'propose-term' ? current.selected : current.quote) + '”');
    var placeholder = 'term-' + randomId();
    if (name === 'propose-term') {
      field('zh').value = current.selected;
      field('id').value = placeholder;
    }
    long.hidden = true;
    pending = null;
    dialog.showModal();
    var asked = ++asking;
    if (name === 'propose-term') {
      pinyinFor(current.selected, function (pinyin) {
        // Into the dialog it was asked for only, and never over what was typed.
        pinyin = String(pinyin || '');
        if (asked !== asking || !dialog.open || !pinyin || valueOf('pinyin')) return;
        field('pinyin').value = pinyin;
        if (valueOf('id') === placeholder && slugOf(pinyin)) field('id').value = slugOf(pinyin);
      });
    }
    // The dialog now holds the selection; the bar would only sit behind it.
    bar.hidden = true;
    var first = form.querySelector('[data-field]:not([hidden]) input, [data-field]:not([hidden]) textarea, [data-field]:not([hidden]) select');
    if (first) first.focus();
  }

  function valueOf(name) { return field(name).value; }

  // What submitting the dialog makes: the address to open, and the file's
  // text (or the issue's body) for copying when the address is too long.
  function proposal() {
    var c = current;
    var n = c.number;
    var by = valueOf('by').trim();
    if (action === 'propose-note' || action === 'propose-translation') {
      var translation = action === 'propose-translation';
      var toml = '# Proposed from the reader page, ¶' + n + '.\n[[note]]\n' +
        (translation ? 'anchor = { paragraph = ' + n + ' }\n' : 'anchor = { paragraph = ' + n + ', quote = ' + tomlString(c.quote) + ' }\n') +
        line('kind', translation ? 'translation' : valueOf('kind')) +
        (by ? line('by', by) : '') +
        'body = ' + tomlText(valueOf('body')) + '\n';
      var file = root.getAttribute('data-notes-dir') + 'p' + n + '-' + today() + '-' + randomId() + '.toml';
      return newFile(file, toml);
    }
    if (action === 'propose-term') {
      var id = valueOf('id').trim();
      var pinyin = valueOf('pinyin').trim();
      var term = '# Proposed from the reader page, ¶' + n + ': fill in en and definition.\n[[term]]\n' +
        line('id', id) + line('zh', valueOf('zh').trim()) +
        (pinyin ? line('pinyin', pinyin) : '') +
        line('en', '') + 'definition = ' + tomlText('') + '\n';
      return newFile(root.getAttribute('data-glossary-dir') + id + '.toml', term);
    }
    var page = root.getAttribute('data-canonical') || location.href.replace(/#.*$/, '');
    var quote = c.quote.replace(/\n/g, ' ');
    var body = '**Where:** ' + page + '#p' + n + '\n\n> ' + quote + '\n\n' +
      '**What is wrong here, and what should it say?**\n\n' + valueOf('body') + '\n';
    var short = quote.length > 40 ? quote.slice(0, 40) + '…' : quote;
    var issueTitle = '¶' + n + ' of ' + root.getAttribute('data-title') + ': “' + short + '”';
    var url = root.getAttribute('data-new-issue') + '?title=' + encodeURIComponent(issueTitle) +
      '&body=' + encodeURIComponent(body) + '&labels=' + encodeURIComponent('content');
    return { url: url, text: body, short: root.getAttribute('data-new-issue') + '?title=' + encodeURIComponent(issueTitle) };
  }

  function newFile(filename, text) {
    var base = root.getAttribute('data-new-file') + '?filename=' + encodeURIComponent(filename);
    return { url: base + '&value=' + encodeURIComponent(text), text: text, short: base, filename: filename };
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!current) return;
    if (action === 'propose-term' && !/^[a-z0-9-]+$/.test(valueOf('id').trim())) {
      field('id').setCustomValidity('a-z, 0-9 and - only');
      form.reportValidity();
      return;
    }
    var made = proposal();
    if (made.url.length > URL_LIMIT) {
      pending = made;
      longMessage.textContent = '内容太长，GitHub 无法从链接打开。请复制下面的文字，打开 GitHub 页面后粘贴。' +
        'This is too long for a GitHub link (' + made.url.length + ' characters; the limit is about ' + URL_LIMIT +
        '). Copy the text below, open the GitHub page and paste it there' + (made.filename ? ', as the file ' + made.filename + '.' : '.');
      tomlBox.value = made.text;
      fallback.href = made.short;
      long.hidden = false;
      tomlBox.focus();
      tomlBox.select();
      return;
    }
    window.open(made.url, '_blank', 'noopener');
    dialog.close();
  });
  field('id').addEventListener('input', function () { field('id').setCustomValidity(''); });

  form.querySelector('[data-propose-copy]').addEventListener('click', function () {
    if (!pending) return;
    tomlBox.select();
    var done = function () { longMessage.textContent = '已复制。Copied.'; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(pending.text).then(done, function () { doc.execCommand('copy'); done(); });
    } else {
      doc.execCommand('copy');
      done();
    }
  });
  form.querySelector('[data-propose-cancel]').addEventListener('click', function () { dialog.close(); });
  dialog.addEventListener('close', function () {
    form.reset();
    long.hidden = true;
    hideBar();
  });

  bar.addEventListener('click', function (e) {
    var button = e.target.closest('[data-action]');
    if (button) openDialog(button.getAttribute('data-action'));
  });

  // For outside tests and a site's own scripts: the TOML writer.
  window.dubenPropose = { tomlString: tomlString, tomlText: tomlText };
})();
