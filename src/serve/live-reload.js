// Live reload for `duben serve`: put into HTML pages while serving, never into
// the built site. Reloads the page after each good rebuild; after a failed one,
// shows the errors over the last good version until the next good save.
(function () {
  "use strict";
  var source = new EventSource("/__duben/events");
  var overlay = null;

  // Marks the page once it listens, so a test knows a save will be seen.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-duben-live", "");
  });
  // A preview after a save in an article's folder changes that article's
  // pages only ("only"); the rebuild after it, every page but those
  // ("except").
  source.addEventListener("reload", function (event) {
    var built = JSON.parse(event.data);
    if (built.only ? shows(built.only) : !(built.except && shows(built.except))) location.reload();
  });
  function shows(articles) {
    return articles.some(function (slug) {
      return location.pathname.indexOf("/" + slug + "/") === 0;
    });
  }
  source.addEventListener("build-error", function (event) {
    show(JSON.parse(event.data).report);
  });

  function show(report) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "duben-build-errors";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("lang", "en");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
        "background:rgba(24,24,27,.96);color:#fafafa;font:14px/1.5 ui-monospace,monospace;";
      var heading = document.createElement("p");
      heading.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5;";
      heading.textContent =
        "The site could not be rebuilt. Behind this is the last good version. Fix the file and save: this page reloads. (Escape hides this.)";
      var text = document.createElement("pre");
      text.style.cssText = "margin:0;white-space:pre-wrap;";
      overlay.appendChild(heading);
      overlay.appendChild(text);
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && overlay) overlay.hidden = true;
      });
    }
    // textContent, not innerHTML: the report quotes the site's files.
    overlay.lastChild.textContent = report;
    overlay.hidden = false;
    document.body.appendChild(overlay);
  }
})();
