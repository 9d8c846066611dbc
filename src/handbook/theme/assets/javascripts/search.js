/* Site search: loaded when the search box is first used (or when a page is opened from a result).
 *
 * The index (search/manifest.js, p<N>.js postings shards, r<N>.js record chunks) is written at
 * build time by handbook.search.index and loaded through <script> tags, which work from file://
 * as well as over HTTP. A query loads only the postings shards of its own tokens, then the record
 * chunks of its best candidates.
 *
 * Ranking, per space-separated part of the query: the part is a heading (title, term, alias) →
 * it is in a heading → its character pairs are in a heading → it is in the body as a phrase →
 * its pairs are in the body (the more of them adjacent and in order, the better). BM25-style
 * weights of the pairs and of the jieba words break ties and pick the candidates.
 */
(function () {
  "use strict";
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var PIECES = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var HAN_RUN = new RegExp("^[" + HAN + "]+$");
  var CANDIDATES = 24;  // per batch, re-ranked with their text: enough to hold the best, few record files to load

  function normalise(text) { return text.normalize("NFKC").toLowerCase(); }

  /* The same cut as handbook.search.index.tokens. */
  function tokens(text) {
    var out = [];
    (normalise(text).match(PIECES) || []).forEach(function (piece) {
      if (HAN_RUN.test(piece) && piece.length > 1) {
        for (var i = 0; i < piece.length - 1; i++) out.push(piece.slice(i, i + 2));
      } else {
        out.push(piece);
      }
    });
    return out;
  }

  // ------------------------------------------------------------------ loading
  var root = document.querySelector("[data-hb-search]");
  var base = root ? root.getAttribute("data-hb-search") : "search/";
  var loaded = {}, waiting = {};

  function load(name) {
    if (!loaded[name]) {
      loaded[name] = new Promise(function (resolve, reject) {
        waiting[name] = resolve;
        var script = document.createElement("script");
        script.src = base + name + ".js";
        script.async = true;
        script.onerror = function () { reject(new Error("cannot load " + script.src)); };
        document.head.appendChild(script);
      });
    }
    return loaded[name];
  }

  function arrived(name, value) {
    if (waiting[name]) { waiting[name](value); delete waiting[name]; }
  }

  window.hbSearch = {
    manifest: function (m) { arrived("manifest", m); },
    shard: function (n, text) {
      var map = new Map();
      text.split("\n").forEach(function (line) {
        var tab = line.indexOf("\t");
        map.set(line.slice(0, tab), line.slice(tab + 1));
      });
      arrived("p" + n, map);
    },
    chunk: function (n, rows) { arrived("r" + n, rows); },
  };

  function lastAtMost(sorted, value) {  // index of the last element <= value (binary search)
    var lo = 0, hi = sorted.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] <= value) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  /* Postings of ``token``, or of every token starting with it when ``prefix``: [[entry, inHeading, bodyCount]]. */
  function postings(manifest, token, prefix) {
    var first = lastAtMost(manifest.shards, token);
    var last = prefix ? lastAtMost(manifest.shards, token + "\uffff") : first;
    var names = [];
    for (var i = first; i <= last; i++) names.push("p" + i);
    return Promise.all(names.map(load)).then(function (shards) {
      var lists = [];
      shards.forEach(function (map) {
        if (!prefix) { if (map.has(token)) lists.push(map.get(token)); return; }
        map.forEach(function (items, key) { if (key.lastIndexOf(token, 0) === 0) lists.push(items); });
      });
      var best = new Map();
      lists.forEach(function (items) {
        var id = 0;
        items.split(",").forEach(function (item) {  // gap in base 36, then "*" heading, "." or ":N" body count
          var end = item.length, head = 0, body = 1, colon = item.indexOf(":");
          if (colon !== -1) { body = +item.slice(colon + 1); end = colon; }
          else if (item.charCodeAt(end - 1) === 46) { body = 0; end--; }
          if (item.charCodeAt(end - 1) === 42) { head = 1; end--; }
          id += parseInt(item.slice(0, end), 36);
          var old = best.get(id);
          best.set(id, old ? [id, Math.max(old[1], head), old[2] + body] : [id, head, body]);
        });
      });
      return Array.from(best.values());
    });
  }

  function record(manifest, id) {
    var n = lastAtMost(manifest.chunks, id);
    return load("r" + n).then(function (rows) {
      var row = rows[id - manifest.chunks[n]];
      return {id: id, kind: row[0], number: row[1], title: row[2], document: row[3], url: row[4],
              headings: [row[2]].concat(row[5]), body: row[6], implements: row[7] || []};
    });
  }

  // ------------------------------------------------------------------ the query
  function parse(query) {
    return normalise(query).split(/\s+/).filter(Boolean).map(function (part, i, parts) {
      var toks = tokens(part), words = [];
      (part.match(new RegExp("[" + HAN + "]{3,}", "g")) || []).forEach(function (w) { words.push(w); });
      var last = i === parts.length - 1;
      var lookups = [];
      var seen = {};
      toks.forEach(function (t, j) {
        if (seen[t]) return;
        seen[t] = true;
        // A lone character or the Latin word being typed matches as a prefix (partial words).
        var prefix = (t.length === 1 && HAN_RUN.test(t)) || (last && j === toks.length - 1 && !HAN_RUN.test(t));
        lookups.push({token: t, prefix: prefix, word: false});
      });
      words.forEach(function (w) { if (!seen[w]) { seen[w] = true; lookups.push({token: w, prefix: false, word: true}); } });
      return {text: part.replace(/[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g, "") || part, tokens: toks,
              lookups: lookups};
    }).filter(function (p) { return p.tokens.length; });
  }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1) { n++; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  function compact(text) { return normalise(text).replace(/[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g, ""); }

  /* Longest run of ``phrase`` (in characters) found whole in ``text``: pairs adjacent and in order. */
  function longestRun(phrase, text) {
    var best = 0;
    for (var i = 0; i < phrase.length; i++) {
      for (var j = phrase.length; j - i > best; j--) {
        if (text.indexOf(phrase.slice(i, j)) !== -1) { best = j - i; break; }
      }
    }
    return best;
  }

  function share(toks, text) {
    if (!toks.length) return 0;
    var hit = 0;
    toks.forEach(function (t) { if (text.indexOf(t) !== -1) hit++; });
    return hit / toks.length;
  }

  /* The phrase names what the heading is about, unless it only qualifies it ("X中的Y", "X的Y" are about Y). */
  function qualifies(heading, at, phrase) {
    return /^(中的|时的|的)/.test(heading.slice(at + phrase.length));
  }

  function partScore(part, rec) {
    var phrase = part.text, heads = rec.headings.map(compact), body = compact(rec.body);
    var head = 0, inBody = 0;
    heads.forEach(function (h, i) {
      var at = h.indexOf(phrase), tier = 0;
      if (h === phrase) tier = 1000 - (i ? 10 : 0);
      else if (at !== -1 && !qualifies(h, at, phrase)) tier = 600 + 200 * phrase.length / h.length + (at === 0 ? 20 : 0);
      else {
        var c = share(part.tokens, h);
        if (c >= 0.5 || at !== -1) tier = 500 * (at !== -1 ? 0.5 : c) + 50 * longestRun(phrase, h) / phrase.length;
      }
      head = Math.max(head, tier);
    });
    // A form is a template: with the phrase in both titles, the place that says what it is for
    // (the clause, procedure or session) comes before the blank form.
    if (rec.kind === "form") head *= 0.9;
    var n = count(body, phrase);
    if (n) inBody = 300 + 10 * Math.min(phrase.length, 8) + 10 * Math.min(n, 5) + 40 * phrase.length * n / (body.length + 20);
    else {
      var cb = share(part.tokens, body);
      if (cb) inBody = 200 * cb * (0.5 + 0.5 * longestRun(phrase, body) / phrase.length);
    }
    return Math.max(head, inBody) + 0.3 * Math.min(head, inBody);
  }

  var TOGETHER = 40;  // characters: all parts of the query inside one stretch of this length

  function saysTogether(rec, parts) {
    if (parts.length < 2) return false;
    var text = compact(rec.body), places = [];
    parts.forEach(function (part, i) {
      for (var at = text.indexOf(part.text); at !== -1; at = text.indexOf(part.text, at + 1)) places.push([at, i]);
    });
    places.sort(function (a, b) { return a[0] - b[0]; });
    for (var start = 0; start < places.length; start++) {
      var seen = new Set();
      for (var end = start; end < places.length && places[end][0] - places[start][0] <= TOGETHER; end++) seen.add(places[end][1]);
      if (seen.size === parts.length) return true;
    }
    return false;
  }

  var engine = null;

  function start() {
    if (!engine) engine = load("manifest");
    return engine;
  }

  function search(query) {
    var parts = parse(query);
    if (!parts.length) return Promise.resolve({parts: parts, results: []});
    return start().then(function (manifest) {
      var N = manifest.entries;
      var jobs = [];
      parts.forEach(function (part) {
        part.lookups.forEach(function (l) {
          jobs.push(postings(manifest, l.token, l.prefix).then(function (list) { return {lookup: l, list: list}; }));
        });
      });
      return Promise.all(jobs).then(function (found) {
        var score = new Map(), cover = new Map();
        found.forEach(function (f) {
          var df = f.list.length;
          if (!df) return;
          var idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
          f.list.forEach(function (p) {
            var s = idf * (2 * p[1] + p[2] / (p[2] + 1.2)) * (f.lookup.word ? 1.5 : 1);
            score.set(p[0], (score.get(p[0]) || 0) + s);
            if (!f.lookup.word) cover.set(p[0], (cover.get(p[0]) || 0) + 1);
          });
        });
        var order = Array.from(score.keys()).sort(function (a, b) {
          return (cover.get(b) || 0) - (cover.get(a) || 0) || score.get(b) - score.get(a);
        });
        var next = 0;
        // The best candidates by pairs and words, re-ranked with their text; later batches on demand.
        function more() {
          var ids = order.slice(next, next + CANDIDATES);
          next += ids.length;
          return rank(manifest, ids, parts, score);
        }
        return more().then(function (results) {
          return {parts: parts, results: results, total: order.length,
                  more: function () { return next < order.length ? more() : Promise.resolve([]); }};
        });
      });
    });
  }

  function rank(manifest, ids, parts, score) {
    return Promise.all(ids.map(function (id) { return record(manifest, id); })).then(function (recs) {
      recs.forEach(function (rec) {
        rec.score = parts.reduce(function (sum, part) { return sum + partScore(part, rec); }, 0)
          + 1.5 * score.get(rec.id);  // how often the query's pairs and words occur (BM25-like)
      });
      // A query of several parts asks where they are said together. A manual procedure or a
      // session yields to the standard clause it implements or teaches when that clause says
      // every part within a sentence's reach: the clause is the defining place.
      var byId = new Map(recs.map(function (r) { return [r.id, r]; }));
      recs.forEach(function (rec) {
        rec.implements.forEach(function (id) {
          var clause = byId.get(id);
          if (clause && clause.score < rec.score && saysTogether(clause, parts)) clause.score = rec.score + 0.5;
        });
      });
      recs.sort(function (a, b) { return b.score - a.score; });
      return recs;
    });
  }

  // ------------------------------------------------------------------ highlighting
  /* [start, end) ranges of ``text`` to mark: each part's phrase where it occurs whole, else its pairs. */
  function ranges(text, parts, wholeOnly) {
    var norm = normalise(text), marks = [];
    if (norm.length !== text.length) return marks;  // NFKC changed the length: skip rather than mis-mark
    parts.forEach(function (part) {
      var phrase = part.text, at = norm.indexOf(phrase), whole = at !== -1;
      while (at !== -1) { marks.push([at, at + phrase.length]); at = norm.indexOf(phrase, at + phrase.length); }
      if (whole || (wholeOnly && wholeOnly.has(part))) return;
      part.tokens.forEach(function (t) {
        if (t.length < 2 && part.tokens.length > 1) return;
        var i = norm.indexOf(t);
        while (i !== -1) { marks.push([i, i + t.length]); i = norm.indexOf(t, i + 1); }
      });
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    marks.forEach(function (m) {
      var top = merged[merged.length - 1];
      if (top && m[0] <= top[1]) top[1] = Math.max(top[1], m[1]); else merged.push(m.slice());
    });
    return merged;
  }

  function marked(text, parts, into) {
    var at = 0;
    ranges(text, parts).forEach(function (r) {
      into.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      into.appendChild(mark);
      at = r[1];
    });
    into.appendChild(document.createTextNode(text.slice(at)));
    return into;
  }

  function snippet(body, parts) {
    var text = body.replace(/\s+/g, " ").trim();
    var r = ranges(text, parts)[0];
    var from = r ? Math.max(0, r[0] - 30) : 0;
    var out = text.slice(from, from + 110);
    return (from ? "…" : "") + out + (from + 110 < text.length ? "…" : "");
  }

  /* On a page opened from a result (``?q=``), mark the query in the content and keep the anchor in view. */
  function highlightPage(query) {
    var parts = parse(query), article = document.querySelector(".md-content article") || document.body;
    if (!parts.length) return 0;
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest("script, style, mark, .headerlink") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [], node, marks = 0;
    while ((node = walker.nextNode())) nodes.push(node);
    // A part found whole somewhere on the page is marked only where it is whole.
    var page = normalise(nodes.map(function (n) { return n.nodeValue; }).join(""));
    var whole = new Set(parts.filter(function (p) { return page.indexOf(p.text) !== -1; }));
    nodes.forEach(function (n) {
      var found = ranges(n.nodeValue, parts, whole).filter(function (r) { return r[1] - r[0] >= Math.min(2, parts[0].text.length); });
      if (!found.length) return;
      var frag = document.createDocumentFragment(), text = n.nodeValue, at = 0;
      found.forEach(function (r) {
        frag.appendChild(document.createTextNode(text.slice(at, r[0])));
        var mark = document.createElement("mark");
        mark.className = "hb-hit";
        mark.textContent = text.slice(r[0], r[1]);
        frag.appendChild(mark);
        at = r[1];
        marks++;
      });
      frag.appendChild(document.createTextNode(text.slice(at)));
      n.parentNode.replaceChild(frag, n);
    });
    if (location.hash) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
    return marks;
  }

  // ------------------------------------------------------------------ the dialog
  var toggle = document.getElementById("__search");
  var input = root && root.querySelector(".md-search__input");
  var meta = root && root.querySelector(".md-search-result__meta");
  var list = root && root.querySelector(".md-search-result__list");
  var siteBase = root ? root.getAttribute("data-hb-base") : "";
  var latest = 0;

  function render(query, found) {
    list.textContent = "";
    var results = found.results.filter(function (r) { return r.score >= 1; });
    var total = results.length ? found.total : 0;
    meta.textContent = !total ? "没有找到符合条件的结果" :
      total === 1 ? "找到 1 个符合条件的结果" : "找到 " + total + " 个符合条件的结果";
    list.setAttribute("data-query", query);  // which query the list answers (the box may have moved on)
    append(query, found, results);
  }

  /* Results after the first ones, a batch at a time, as Material shows more on request. */
  function append(query, found, results) {
    var old = list.querySelector(".hb-search-more");
    if (old) old.parentNode.removeChild(old);
    results.forEach(function (rec) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      var path = rec.url.split("#");
      a.href = siteBase + path[0] + "?q=" + encodeURIComponent(query) + (path[1] ? "#" + path[1] : "");
      a.className = "md-search-result__link";
      a.tabIndex = -1;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      if (rec.number) {
        var num = document.createElement("span");
        num.className = "hb-search-number";
        num.textContent = rec.number + " ";
        h.appendChild(num);
      }
      marked(rec.title, found.parts, h);
      var docLine = document.createElement("p");
      docLine.className = "hb-search-document";
      docLine.textContent = "《" + rec.document + "》";
      article.appendChild(h);
      article.appendChild(docLine);
      var alias = rec.headings.slice(1).filter(function (x) { return ranges(x, found.parts).length; });
      var body = alias.length ? "又称 " + alias.join("、") + (rec.body ? "。" + rec.body : "") : rec.body;
      if (body) article.appendChild(marked(snippet(body, found.parts), found.parts, document.createElement("p")));
      a.appendChild(article);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (list.children.length < found.total && results.length) {
      var li = document.createElement("li");
      li.className = "md-search-result__item hb-search-more";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-search-result__more";
      button.textContent = "显示更多结果";
      button.addEventListener("click", function () {
        button.disabled = true;
        found.more().then(function (next) {
          if (list.getAttribute("data-query") === query) append(query, found, next);
        });
      });
      li.appendChild(button);
      list.appendChild(li);
    }
  }

  function run() {
    var query = input.value.trim(), mine = ++latest;
    if (!query) { list.textContent = ""; meta.textContent = "输入关键词开始搜索"; return; }
    search(query).then(function (found) { if (mine === latest) render(query, found); }, function (err) {
      if (mine === latest) meta.textContent = "搜索索引无法加载：" + err.message;
    });
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    start();
    input.focus();
    input.select();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function editing(el) {
    return el && (el.isContentEditable || /^(input|textarea|select)$/i.test(el.tagName));
  }

  if (root && input) {
    var timer = 0;
    var later = function () { clearTimeout(timer); timer = setTimeout(run, 60); };
    input.addEventListener("input", later);
    input.addEventListener("keyup", function (e) { if (e.key === "End" || e.key === "Enter" || e.isComposing === false) later(); });
    input.addEventListener("focus", function () { if (!toggle.checked) toggle.checked = true; start(); });
    root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); });
    root.querySelector("form").addEventListener("reset", function () {
      setTimeout(function () { list.textContent = ""; meta.textContent = "输入关键词开始搜索"; input.focus(); });
    });
    toggle.addEventListener("change", function () { if (toggle.checked) open(); });
    list.addEventListener("click", function (e) { if (e.target.closest("a")) toggle.checked = false; });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      if (!toggle.checked) {
        if ((e.key === "/" || e.key === "s" || e.key === "f") && !editing(document.activeElement)) {
          e.preventDefault();
          open();
        }
        return;
      }
      var links = [input].concat(Array.from(list.querySelectorAll(".md-search-result__link")));
      var at = links.indexOf(document.activeElement);
      if (e.key === "Escape" || (e.key === "Tab" && at <= 0 && !e.shiftKey && links.length === 1)) {
        close();
      } else if (e.key === "Enter" && at === 0 && links.length > 1) {
        e.preventDefault();
        links[1].click();
      } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && at !== -1) {
        e.preventDefault();
        var next = (at + (e.key === "ArrowDown" ? 1 : links.length - 1)) % links.length;
        links[next].focus();
      }
    });
    // Asked for by the box (focus, click, key): the worker may have typed already while this
    // script loaded; keep what was typed (no select(), which the next key would overwrite) and search it.
    if (root.getAttribute("data-hb-open") === "1") {
      if (!toggle.checked) toggle.checked = true;
      start();
      if (document.activeElement !== input) input.focus();
      if (input.value.trim()) run();
    }
  }

  var asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { highlightPage(asked); });
    else highlightPage(asked);
  }

  window.hbSearch.search = search;
  window.hbSearch.tokens = tokens;
  window.hbSearch.highlightPage = highlightPage;
})();
