// duben search page. The index is script files (search/manifest.js,
// search/k/N.js key buckets, search/c/N.js chunks of documents) added as
// <script> elements, so it works from file:// as well as over HTTP. A
// query's keys (pairs of Chinese characters, or, where a query has no pair,
// its single characters; Latin words; pinyin triples) name the buckets to
// load; the buckets name the chunks that hold every key; only those chunks
// load, and within them matching is exact. The folding is that of
// src/normalize.rs (`fold_char`), which a browser test holds it to.
(function () {
  'use strict';
  var doc = document;
  var manifest = null;
  var loaded = {};
  var waiting = {};
  var FOLD = {};
  [['āáǎàâäãåĀÁǍÀÂÄÃÅ', 'a'], ['ēéěèêëĒÉĚÈÊË', 'e'], ['īíǐìîïĪÍǏÌÎÏ', 'i'], ['ōóǒòôöõŌÓǑÒÔÖÕ', 'o'],
   ['ūúǔùûüǖǘǚǜŪÚǓÙÛÜǕǗǙǛ', 'u'], ['ńňǹñŃŇǸÑ', 'n'], ['çÇ', 'c'], ['ḿḾ', 'm']].forEach(function (row) {
    Array.from(row[0]).forEach(function (c) { FOLD[c] = row[1]; });
  });
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /\s/;
  var KINDS = [
    ['paragraph', '原文段落', 'Paragraphs'],
    ['note', '译文与注释', 'Translations and notes'],
    ['term', '术语', 'Glossary'],
    ['event', '年表', 'Timeline']
  ];
  // Chunks are loaded a batch at a time until this many results are found.
  var ENOUGH = 40;
  var BATCH = 8;

  function fold(c) {
    var code = c.codePointAt(0);
    if (code === 0x3000) return ' ';
    if (code >= 0xff01 && code <= 0xff5e) { c = String.fromCodePoint(code - 0xfee0); code -= 0xfee0; }
    if (code < 128) return c.toLowerCase();
    // Most of the text: Han characters have no case (fold_char skips them too).
    if (code >= 0x3400 && code <= 0x9fff) return c;
    if (FOLD[c]) return FOLD[c];
    // As Rust's fold_char: the first character of its lowercase (Ж → ж, Ⅱ → ⅱ).
    var low = String.fromCodePoint(c.toLowerCase().codePointAt(0));
    return FOLD[low] || low;
  }
  function isWord(c) { return /^[a-z0-9]$/.test(c); }
  function isPair(a, b) { return ALNUM.test(a) && ALNUM.test(b) && !(isWord(a) && isWord(b)); }

  // The folded text without white space, and for each of its characters
  // where it starts in the original (UTF-16 offsets) and how long it is.
  function squash(text) {
    var chars = [], from = [], size = [], i = 0;
    for (var c of text) {
      var f = fold(c);
      if (!SPACE.test(f)) { chars.push(f); from.push(i); size.push(c.length); }
      i += c.length;
    }
    return { text: chars.join(''), chars: chars, from: from, size: size };
  }
  // Latin words with where each first occurs in the original.
  function words(text) {
    var found = {}, list = [], word = '', start = 0, i = 0;
    function end(at) {
      if (word && !(word in found)) { found[word] = [start, at]; list.push(word); }
      word = '';
    }
    for (var c of text) {
      var f = fold(c);
      if (isWord(f)) { if (!word) start = i; word += f; } else end(i);
      i += c.length;
    }
    end(i);
    return { at: found, list: list };
  }

  function analyse(query) {
    var q = squash(query);
    var han = q.chars.some(function (c) { return ALNUM.test(c) && !isWord(c); });
    if (han) {
      var keys = [];
      for (var i = 0; i + 1 < q.chars.length; i++) {
        if (isPair(q.chars[i], q.chars[i + 1])) keys.push(q.chars[i] + q.chars[i + 1]);
      }
      // No pair (one character, or characters apart like 中，美): each
      // character is a key of its own.
      if (!keys.length) keys = q.chars.filter(function (c) { return ALNUM.test(c) && !isWord(c); });
      return { han: true, needle: q.text, groups: [keys] };
    }
    var w = words(query).list;
    var joined = w.join('');
    var groups = [w.filter(function (x) { return x.length >= 2; })];
    var triples = [];
    for (var j = 0; j + 3 <= joined.length; j++) triples.push('~' + joined.slice(j, j + 3));
    groups.push(triples);
    return { han: false, words: w, joined: joined, groups: groups };
  }

  function bucket(key) {
    var h = 2166136261;
    for (var c of key) { h ^= c.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    return h % manifest.buckets;
  }

  // One index file, by <script>: resolves with what it hands over.
  function load(name, path, stats) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    if (!waiting[name]) {
      waiting[name] = new Promise(function (resolve, reject) {
        var s = doc.createElement('script');
        s.src = path + '?v=' + manifest.version;
        s.onerror = function () { delete waiting[name]; reject(new Error('cannot load ' + path)); };
        s.addEventListener('load', function () {
          if (name in loaded) resolve(loaded[name]);
          else { delete waiting[name]; reject(new Error(path + ' is not an index file')); }
        });
        doc.head.appendChild(s);
      });
    }
    if (stats) stats.files.push(path);
    return waiting[name];
  }
  function handOver(name, data) { loaded[name] = data; }

  window.dubenSearch = {
    manifest: function (m) { manifest = m; start(); },
    keys: function (n, map) { handOver('k' + n, map); },
    chunk: function (n, docs) { handOver('c' + n, docs); },
    // What the last query loaded and how long it took (for benchmarks).
    last: null,
    // The query's folding, for a test that holds it to the index's.
    fold: fold
  };

  function decode(list) {
    var out = [], n = 0;
    list.split(',').forEach(function (d, i) { n = i ? n + parseInt(d, 36) : parseInt(d, 36); out.push(n); });
    return out;
  }

  // The chunks that can hold a match: for each group of keys, the chunks
  // with all of them; a group without keys can say nothing (null).
  function candidates(plan, stats) {
    var all = [];
    plan.groups.forEach(function (g) { g.forEach(function (k) { all.push(k); }); });
    var needed = {};
    all.forEach(function (k) { needed[bucket(k)] = true; });
    return Promise.all(Object.keys(needed).map(function (b) {
      return load('k' + b, 'k/' + b + '.js', stats);
    })).then(function () {
      var found = null;
      plan.groups.forEach(function (g) {
        if (!g.length) return;
        var set = null;
        g.forEach(function (k) {
          var list = loaded['k' + bucket(k)][k];
          var here = {};
          if (list) decode(list).forEach(function (c) { if (!set || set[c]) here[c] = true; });
          set = here;
        });
        found = found || {};
        Object.keys(set).forEach(function (c) { found[c] = true; });
      });
      if (!found) return manifest.small ? manifest.chunks.map(function (_, i) { return i; }) : null;
      // Glossary and timeline chunks first: they are few, and their results short.
      return Object.keys(found).map(Number).sort(function (a, b) {
        var ka = manifest.kinds[a] === 'a' ? 1 : 0, kb = manifest.kinds[b] === 'a' ? 1 : 0;
        return ka - kb || a - b;
      });
    });
  }

  function match(plan, d) {
    var text = d[3];
    if (plan.han) {
      var s = squash(text);
      var at = s.text.indexOf(plan.needle);
      if (at < 0) return null;
      var last = at + Array.from(plan.needle).length - 1;
      return [[s.from[at], s.from[last] + s.size[last]]];
    }
    if (!plan.words.length) return null;
    var w = words(text);
    if (plan.words.every(function (x) { return x in w.at; })) {
      return plan.words.map(function (x) { return w.at[x]; });
    }
    if (d[4] && plan.joined.length >= 2 && d[4].indexOf(plan.joined) >= 0) return [];
    return null;
  }

  // The matched text in context, highlighted: built from text nodes, so
  // nothing from the content is ever parsed as HTML.
  function snippet(text, ranges) {
    var p = doc.createElement('p');
    p.className = 'result-text';
    var first = ranges.length ? ranges[0][0] : 0;
    var from = Math.max(0, first - 40);
    var to = Math.min(text.length, first + 100);
    ranges = ranges.filter(function (r) { return r[0] >= from && r[1] <= to; }).sort(function (a, b) { return a[0] - b[0]; });
    var at = from;
    if (from > 0) p.appendChild(doc.createTextNode('…'));
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      p.appendChild(doc.createTextNode(text.slice(at, r[0])));
      var mark = doc.createElement('mark');
      mark.textContent = text.slice(r[0], r[1]);
      p.appendChild(mark);
      at = r[1];
    });
    p.appendChild(doc.createTextNode(text.slice(at, to)));
    if (to < text.length) p.appendChild(doc.createTextNode('…'));
    return p;
  }

  var form, input, status, box, generation = 0, timer = 0, more = null;

  function say(text) { status.textContent = text; }

  function summary(counts, total) {
    if (!total) return '没有找到结果 · No results';
    var zh = [], en = [];
    KINDS.forEach(function (k) {
      if (counts[k[0]]) { zh.push(k[1] + ' ' + counts[k[0]]); en.push(counts[k[0]] + ' ' + k[2].toLowerCase()); }
    });
    return '找到 ' + total + ' 条结果：' + zh.join('、') + ' · ' + total + (total === 1 ? ' result: ' : ' results: ') + en.join(', ');
  }

  function render(results, left, query) {
    box.textContent = '';
    var counts = {}, total = 0;
    KINDS.forEach(function (k) {
      var list = results[k[0]];
      if (!list.length) return;
      counts[k[0]] = list.length;
      total += list.length;
      var section = doc.createElement('section');
      section.className = 'result-group';
      section.setAttribute('aria-labelledby', 'results-' + k[0]);
      var h = doc.createElement('h2');
      h.id = 'results-' + k[0];
      h.textContent = k[1] + ' ';
      var en = doc.createElement('span');
      en.lang = 'en';
      en.textContent = k[2] + ' (' + list.length + ')';
      h.appendChild(en);
      section.appendChild(h);
      var ol = doc.createElement('ol');
      list.forEach(function (r) {
        var li = doc.createElement('li');
        li.setAttribute('data-result-kind', k[0]);
        var a = doc.createElement('a');
        a.href = '../' + r.d[1];
        a.className = 'result-link';
        a.textContent = r.d[2];
        li.appendChild(a);
        li.appendChild(snippet(r.d[3], r.ranges));
        ol.appendChild(li);
      });
      section.appendChild(ol);
      box.appendChild(section);
    });
    more = null;
    if (left.length) {
      var button = doc.createElement('button');
      button.type = 'button';
      button.className = 'search-more';
      button.textContent = '更多结果 · More results';
      button.addEventListener('click', function () { run(query, results, left); });
      box.appendChild(button);
      more = button;
    }
    say(summary(counts, total) + (left.length ? '（还有更多 · more to load）' : ''));
  }

  function empty() { return { paragraph: [], note: [], term: [], event: [] }; }

  function run(query, results, queue) {
    var mine = ++generation;
    var began = performance.now();
    var stats = { query: query, files: [], ms: 0 };
    query = query.trim();
    if (!query) { box.textContent = ''; say(''); return Promise.resolve(); }
    var plan = analyse(query);
    var found = results ? Promise.resolve(queue) : candidates(plan, stats);
    results = results || empty();
    return found.then(function (chunks) {
      if (mine !== generation) return;
      if (chunks === null) {
        box.textContent = '';
        say('请输入汉字或一个完整的英文词 · Type Chinese characters or a whole English word');
        return;
      }
      var queueLeft = chunks.slice();
      var count = 0;
      function step() {
        var batch = queueLeft.splice(0, BATCH);
        return Promise.all(batch.map(function (c) { return load('c' + c, 'c/' + c + '.js', stats); })).then(function (lists) {
          if (mine !== generation) return;
          lists.forEach(function (docs) {
            docs.forEach(function (d) {
              var ranges = match(plan, d);
              if (ranges) { results[d[0]].push({ d: d, ranges: ranges }); count++; }
            });
          });
          if (queueLeft.length && count < ENOUGH) return step();
          render(results, queueLeft, query);
          stats.ms = performance.now() - began;
          window.dubenSearch.last = stats;
        });
      }
      return step();
    }).catch(function (e) {
      if (mine === generation) say('搜索索引无法载入 · The search index could not be loaded (' + e.message + ')');
    });
  }

  function remember(query) {
    try { history.replaceState(null, '', query ? '?q=' + encodeURIComponent(query) : location.pathname); } catch (e) { /* file:// may refuse: the query stays in the field */ }
  }

  // Arrow keys move between the field and the results; Escape goes back.
  function keys(e) {
    var links = Array.prototype.slice.call(box.querySelectorAll('a.result-link'));
    if (more) links.push(more);
    var at = links.indexOf(doc.activeElement);
    var next = null;
    if (e.key === 'ArrowDown') next = e.target === input ? links[0] : links[at + 1];
    else if (e.key === 'ArrowUp') next = at > 0 ? links[at - 1] : (at === 0 ? input : null);
    else if (e.key === 'Home' && at >= 0) next = links[0];
    else if (e.key === 'End' && at >= 0) next = links[links.length - 1];
    else if (e.key === 'Escape' && at >= 0) next = input;
    if (next) { e.preventDefault(); next.focus(); }
  }

  function start() {
    form = doc.querySelector('form[data-search]');
    if (!form || !manifest) return;
    input = form.querySelector('input[type=search]');
    status = doc.querySelector('[data-search-status]');
    box = doc.querySelector('[data-search-results]');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      remember(input.value.trim());
      run(input.value);
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(input.value.trim()); run(input.value); }, 200);
    });
    input.addEventListener('keydown', keys);
    box.addEventListener('keydown', keys);
    var query = new URLSearchParams(location.search).get('q');
    if (query) { input.value = query; run(query); }
  }
})();
