// duben: term cards, the translation toggle, the folding sidebar. All an
// enhancement: without it terms are links and translations show.
(function () {
  'use strict';
  var doc = document;
  var html = doc.documentElement;
  var KEY = 'duben.translations';

  function remembered() {
    try { return localStorage.getItem(KEY) === 'on'; } catch (e) { return false; }
  }
  function remember(on) {
    try { localStorage.setItem(KEY, on ? 'on' : 'off'); } catch (e) { /* private mode: the choice lasts for this page */ }
  }

  function translations() {
    // In the page already, so adding it moves nothing.
    var button = doc.querySelector('[data-toggle=translations]');
    if (!button) return;
    function apply(on) {
      html.classList.toggle('show-translations', on);
      button.setAttribute('aria-pressed', String(on));
    }
    button.addEventListener('click', function () {
      var on = button.getAttribute('aria-pressed') !== 'true';
      apply(on);
      remember(on);
    });
    var on = remembered();
    apply(on);
    // Showing translations moves paragraphs down: keep a linked one in view.
    var target = on && location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }

  // The page folds the sidebar before first paint; this follows resizes.
  function folds() {
    var wide = window.matchMedia('(min-width: 64em)');
    var details = doc.querySelectorAll('.side details.fold');
    if (!details.length || !wide.addEventListener) return;
    wide.addEventListener('change', function () {
      for (var i = 0; i < details.length; i++) details[i].open = wide.matches;
    });
  }

  // Cards: static/cards/<n>.js (n as in src/render/cards.rs), scripts for
  // file://, loaded after first paint; a term asked for first goes first.
  var cardHtml = Object.create(null);
  var cardFiles = null;
  var waiting = null;
  var card = null;
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;
  var tapOpen = false;
  var quiet = false;
  var GRACE = 300;

  function cardElement() {
    if (card) return card;
    card = doc.createElement('div');
    card.id = 'term-card';
    card.className = 'term-card';
    card.setAttribute('role', 'tooltip');
    card.hidden = true;
    card.addEventListener('pointerenter', function (e) {
      if (e.pointerType !== 'touch') clearTimeout(hideTimer);
    });
    card.addEventListener('pointerleave', function (e) {
      if (e.pointerType !== 'touch') hideSoon();
    });
    card.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || (e.relatedTarget !== current && !card.contains(e.relatedTarget))) hide();
    });
    (doc.querySelector('main') || doc.body).appendChild(card);
    return card;
  }

  // FNV-1a (32 bits) of the id, modulo the files.
  function fileOf(id) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
    return hash % cardFiles.count;
  }

  // Asks once for the file with the card of `term`; `then` runs when it came.
  function loadCard(term, then) {
    var id = term.getAttribute('data-term');
    if (id in cardHtml) return then && then();
    var n = fileOf(id);
    var file = cardFiles.loading[n];
    if (!file) {
      file = cardFiles.loading[n] = { done: false, then: [] };
      var script = doc.createElement('script');
      script.src = cardFiles.url + n + '.js?v=' + cardFiles.version;
      script.onload = script.onerror = function () {
        file.done = true;
        file.then.splice(0).forEach(function (f) { f(); });
      };
      doc.head.appendChild(script);
    }
    if (then) file.done ? then() : file.then.push(then);
  }

  window.dubenCards = function (cards) {
    Object.keys(cards).forEach(function (id) { cardHtml[id] = cards[id]; });
  };

  // The page's files, in the order their terms first occur.
  function preloadCards(terms) {
    var next = 0;
    function step() {
      while (next < terms.length && cardFiles.loading[fileOf(terms[next].getAttribute('data-term'))]) next++;
      if (next < terms.length) loadCard(terms[next], step);
    }
    window.addEventListener('load', function () { setTimeout(step, 0); });
  }

  function show(term) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    var id = term.getAttribute('data-term');
    if (!(id in cardHtml)) {
      // Shown when its file comes, if still wanted then; marked as waiting
      // (duben.css) meanwhile.
      waiting = term;
      term.setAttribute('aria-busy', 'true');
      loadCard(term, function () {
        term.removeAttribute('aria-busy');
        if (waiting === term && id in cardHtml) show(term);
      });
      return;
    }
    waiting = null;
    var box = cardElement();
    if (current !== term || box.hidden) {
      if (current) current.removeAttribute('aria-describedby');
      // The build's own card.html, escaped as the page is.
      box.innerHTML = cardHtml[id];
      headForm(box, term);
    }
    current = term;
    box.hidden = false;
    term.setAttribute('aria-describedby', box.id);
    // First: what the page adds to the card is placed with it.
    term.dispatchEvent(new CustomEvent('duben:card', { bubbles: true }));
    place(term, box);
  }

  // A term written as another form (贸易摩擦 for 贸易战) is headed by that
  // form, then the headword: `data-form` or its text less any ruby.
  function headForm(box, term) {
    var head = box.querySelector('.card-head');
    var word = head && head.querySelector('b');
    if (!word) return;
    var form = term.getAttribute('data-form');
    if (!form) {
      var copy = term.cloneNode(true);
      var ruby = copy.querySelectorAll('rt, rp');
      for (var i = 0; i < ruby.length; i++) ruby[i].remove();
      form = copy.textContent;
    }
    form = form.replace(/\s+/g, '');
    if (!form || form === word.textContent.replace(/\s+/g, '')) return;
    var shown = doc.createElement('b');
    shown.className = 'card-form';
    shown.textContent = form;
    word.className = 'card-headword';
    head.insertBefore(doc.createTextNode(' → '), word);
    head.insertBefore(shown, head.firstChild);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    waiting = null;
    if (!card || card.hidden) return;
    card.hidden = true;
    if (current) current.removeAttribute('aria-describedby');
    current = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, GRACE);
  }

  // Below the term, else above; never over it, always within the width.
  function place(term, box) {
    var r = term.getBoundingClientRect();
    var margin = 8;
    var below = window.innerHeight - margin - r.bottom - 4;
    var above = r.top - 4 - margin;
    box.style.left = box.style.top = '0px';
    box.style.maxHeight = '';
    var w = box.offsetWidth;
    // Too tall for either side (200% zoom): the roomier, scrolling inside.
    if (box.offsetHeight > below && box.offsetHeight > above) box.style.maxHeight = Math.max(below, above) + 'px';
    var h = box.offsetHeight;
    var top = h <= below || below >= above ? r.bottom + 4 : r.top - 4 - h;
    box.style.left = Math.max(margin, Math.min(r.left, html.clientWidth - w - margin)) + window.scrollX + 'px';
    box.style.top = top + window.scrollY + 'px';
  }

  function wire(term) {
    if (term.textContent.length <= 10) term.classList.add('whole');
    term.addEventListener('pointerenter', function (e) {
      if (e.pointerType === 'touch') return;
      loadCard(term);
      clearTimeout(hideTimer);
      if (current === term && !card.hidden) return;
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(term); }, 100);
    });
    term.addEventListener('pointerleave', function (e) {
      if (e.pointerType === 'touch') return;
      if (waiting === term) waiting = null;
      hideSoon();
    });
    term.addEventListener('focus', function () {
      if (!quiet) show(term);
    });
    term.addEventListener('blur', function (e) {
      if (!(card && e.relatedTarget && card.contains(e.relatedTarget))) hide();
    });
    // A first tap shows the card; a second tap on the same term follows the link.
    term.addEventListener('pointerdown', function (e) {
      tapOpen = e.pointerType === 'touch' && current === term && card && !card.hidden;
    });
    term.addEventListener('click', function (e) {
      var touch = e.pointerType === 'touch' || (!e.pointerType && window.matchMedia('(hover: none)').matches && e.detail > 0);
      var file = cardFiles.loading[fileOf(term.getAttribute('data-term'))];
      // A card whose file failed to come leaves the tap to the link.
      if (touch && !tapOpen && !(file && file.done && !(term.getAttribute('data-term') in cardHtml))) {
        e.preventDefault();
        show(term);
      }
      tapOpen = false;
    });
  }

  function cards() {
    var terms = doc.querySelectorAll('a.term[data-term]');
    var where = doc.querySelector('[data-cards]');
    if (!terms.length || !where) return;
    cardFiles = {
      url: where.getAttribute('data-cards'),
      count: Math.max(1, parseInt(where.getAttribute('data-card-files'), 10) || 1),
      version: where.getAttribute('data-cards-version') || '',
      loading: {}
    };
    for (var i = 0; i < terms.length; i++) wire(terms[i]);
    preloadCards(terms);
    doc.addEventListener('pointerdown', function (e) {
      if (!card || card.hidden) return;
      if (card.contains(e.target) || (current && current.contains(e.target))) return;
      hide();
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') waiting = null;
      if (e.key !== 'Escape' || !card || card.hidden) return;
      var term = current;
      var inside = card.contains(doc.activeElement);
      hide();
      if (inside && term) {
        quiet = true;
        term.focus({ preventScroll: true });
        quiet = false;
      }
    });
    window.addEventListener('resize', hide);
  }

  translations();
  folds();
  cards();
})();
