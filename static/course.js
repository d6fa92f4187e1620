// duben course behaviour: a student's progress through the readings (kept
// in this browser's localStorage, shown on the syllabus, clearable) and the
// `/` key that focuses the header's search box. Without JavaScript the
// syllabus simply shows no progress and the search box is a plain form.
(function () {
  'use strict';
  var doc = document;
  var KEY = 'duben.progress';

  function load() {
    try {
      var value = JSON.parse(localStorage.getItem(KEY) || '{}');
      return value && typeof value === 'object' ? value : {};
    } catch (e) { return {}; }
  }
  function save(progress) {
    try { localStorage.setItem(KEY, JSON.stringify(progress)); } catch (e) { /* private mode: progress lasts for this page */ }
  }

  // A reader page: the furthest paragraph that has been on screen.
  function track() {
    var nav = doc.querySelector('[data-progress-reading]');
    if (!nav || !window.IntersectionObserver) return;
    var slug = nav.getAttribute('data-progress-reading');
    var total = parseInt(nav.getAttribute('data-paragraphs'), 10) || 0;
    var paragraphs = doc.querySelectorAll('main p[id^="p"], main div.block[id^="p"]');
    if (!paragraphs.length || !total) return;
    var progress = load();
    var seen = (progress[slug] && progress[slug].read) || 0;
    var timer = 0;
    var observer = new IntersectionObserver(function (entries) {
      var furthest = seen;
      for (var i = 0; i < entries.length; i++) {
        if (!entries[i].isIntersecting) continue;
        var n = parseInt(entries[i].target.id.slice(1), 10);
        if (n > furthest) furthest = n;
      }
      if (furthest === seen) return;
      seen = furthest;
      clearTimeout(timer);
      timer = setTimeout(function () {
        var now = load();
        var before = (now[slug] && now[slug].read) || 0;
        now[slug] = { read: Math.max(before, seen), of: total };
        save(now);
      }, 150);
    }, { threshold: 0.5 });
    for (var i = 0; i < paragraphs.length; i++) {
      if (/^p\d+$/.test(paragraphs[i].id)) observer.observe(paragraphs[i]);
    }
  }

  // The syllabus: each reading's line says how far this browser has read.
  function show() {
    var readings = doc.querySelectorAll('[data-reading]');
    if (!readings.length) return;
    var tools = doc.querySelector('[data-progress-tools]');
    var status = tools && tools.querySelector('[role=status]');
    function render() {
      var progress = load();
      for (var i = 0; i < readings.length; i++) {
        var slug = readings[i].getAttribute('data-reading');
        var total = parseInt(readings[i].getAttribute('data-paragraphs'), 10) || 0;
        var line = readings[i].querySelector('[data-progress]');
        if (!line) continue;
        var read = progress[slug] ? Math.min(progress[slug].read || 0, total) : 0;
        line.classList.toggle('finished', read > 0 && read >= total);
        if (!read) {
          line.textContent = '未开始 · not started';
        } else if (read >= total) {
          line.textContent = '已读完 · finished';
        } else {
          line.textContent = '读到第 ' + read + ' 段，共 ' + total + ' 段 · read to ¶' + read + ' of ' + total;
        }
      }
    }
    render();
    if (!tools) return;
    tools.hidden = false;
    tools.querySelector('[data-progress-clear]').addEventListener('click', function () {
      try { localStorage.removeItem(KEY); } catch (e) { /* nothing was kept */ }
      render();
      if (status) status.textContent = '进度已清除 · Progress cleared';
    });
    // Another tab may read on: keep the syllabus current.
    window.addEventListener('storage', function (e) { if (e.key === KEY) render(); });
  }

  // `/` focuses the header's search box, unless one is typing already.
  function slash() {
    var box = doc.querySelector('[data-search-box] input[type=search]');
    if (!box) return;
    doc.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      box.focus();
      box.select();
    });
  }

  function start() {
    track();
    show();
    slash();
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})();
