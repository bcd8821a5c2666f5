// Burrow course book: theme switch, phone menu, search and (under
// `burrow book serve`) live reload. No libraries, no network beyond the
// site itself.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var html = document.documentElement;

  document.getElementById("theme-toggle").addEventListener("click", function () {
    var t = html.getAttribute("data-theme") === "dark" ? "light" : "dark";
    html.setAttribute("data-theme", t);
    try { localStorage.setItem("burrow-theme", t); } catch (e) {}
  });
  document.getElementById("menu-toggle").addEventListener("click", function () {
    document.body.classList.toggle("menu-open");
  });

  // Search: the index is a list of sections {title, heading, url, text},
  // fetched once. A section matches when every query word occurs in it;
  // words in the heading count most, then the chapter title, then the text.
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = null, loading = null, sel = 0;

  function load() {
    if (!loading) {
      loading = fetch(root + "search.json").then(function (r) { return r.json(); }).then(function (data) {
        index = data.map(function (s) {
          return { s: s, h: s.heading.toLowerCase(), t: s.title.toLowerCase(), x: s.text.toLowerCase() };
        });
      });
    }
    return loading;
  }

  function escapeHTML(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  function snippet(text, word) {
    var i = text.toLowerCase().indexOf(word);
    if (i < 0) return escapeHTML(text.slice(0, 140));
    var start = Math.max(0, i - 60);
    var s = (start > 0 ? "…" : "") + text.slice(start, i + 100) + "…";
    var re = new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "ig");
    return escapeHTML(s).replace(re, function (m) { return "<mark>" + m + "</mark>"; });
  }

  function search(q) {
    var words = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length || !index) return [];
    var hits = [];
    index.forEach(function (e) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i], s = 0;
        if (e.h.indexOf(w) >= 0) s += 10;
        if (e.t.indexOf(w) >= 0) s += 5;
        var at = e.x.indexOf(w), n = 0;
        while (at >= 0 && n < 10) { n++; at = e.x.indexOf(w, at + w.length); }
        s += n;
        if (!s) return;
        score += s;
      }
      hits.push({ e: e, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    return hits.slice(0, 20);
  }

  function show() {
    var q = input.value.trim();
    if (!q) { list.hidden = true; list.innerHTML = ""; return; }
    load().then(function () {
      var hits = search(q), word = q.toLowerCase().split(/\s+/)[0];
      sel = 0;
      if (!hits.length) {
        list.innerHTML = '<li class="none">No section mentions “' + escapeHTML(q) + '”.</li>';
      } else {
        list.innerHTML = hits.map(function (h, i) {
          var s = h.e.s, where = s.title + (s.heading ? " › " + s.heading : "");
          return '<li' + (i === 0 ? ' class="sel"' : "") + '><a href="' + escapeHTML(root + s.url) + '"><span class="where">' +
            escapeHTML(where) + '</span><span class="snip">' + snippet(s.text, word) + "</span></a></li>";
        }).join("");
      }
      list.hidden = false;
    });
  }

  function move(d) {
    var items = list.querySelectorAll("li a");
    if (!items.length) return;
    items[sel].parentNode.classList.remove("sel");
    sel = (sel + d + items.length) % items.length;
    items[sel].parentNode.classList.add("sel");
    items[sel].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { move(1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { move(-1); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      var a = list.querySelectorAll("li a")[sel];
      if (a) location.href = a.href;
    } else if (ev.key === "Escape") { input.value = ""; show(); input.blur(); }
  });
  // Keys: / searches; the left and right arrows turn the page, as in a
  // book, unless focus is in a text field or a modifier is held.
  document.addEventListener("keydown", function (ev) {
    var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (ev.key === "/" && !typing) { ev.preventDefault(); input.focus(); return; }
    if (typing || ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var rel = ev.key === "ArrowLeft" ? "prev" : ev.key === "ArrowRight" ? "next" : "";
    var a = rel && document.querySelector('.prevnext a[rel="' + rel + '"]');
    if (a) location.href = a.href;
  });
  document.addEventListener("click", function (ev) {
    if (!list.contains(ev.target) && ev.target !== input) list.hidden = true;
    if (document.body.classList.contains("menu-open") && !document.getElementById("sidebar").contains(ev.target) &&
        ev.target.id !== "menu-toggle") document.body.classList.remove("menu-open");
  });

  // Live reload: `burrow book serve` bumps a version after each rebuild.
  if (document.body.getAttribute("data-serve")) {
    var seen = null;
    setInterval(function () {
      fetch(root + "_burrow/version", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (v) {
        if (seen !== null && v !== seen) location.reload();
        seen = v;
      }).catch(function () {});
    }, 1000);
  }
})();
