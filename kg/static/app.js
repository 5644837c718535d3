// The query page: YASGUI on this server's /sparql, the named queries in a list.
//
// The page requests nothing but this server: YASQE's "class" and "property" autocompleters
// (which ask LOV) are switched off, its prefix autocompleter reads /prefixes.json instead
// of prefix.cc, there is one endpoint (/sparql) and nothing is kept in localStorage. The
// server's Content-Security-Policy (connect-src 'self') enforces the same in the browser.
//
// Text from the data or the query files reaches the page only through textContent and
// Option(); YASR escapes what it shows in the results table.
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# 前 20 项任务及其牵头单位 / the first 20 tasks and their lead units",
    "SELECT ?no ?text ?lead WHERE {",
    "  ?task a rk:Task ; rk:number ?no ; rk:text ?text ; rk:lead ?unit .",
    "  ?unit rdfs:label ?lead .",
    "}",
    "ORDER BY ?no",
    "LIMIT 20",
    "",
  ].join("\n");

  function getJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function para(parent, cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    parent.appendChild(p);
  }

  function start(prefixes, queries) {
    var head = Object.keys(prefixes).map(function (p) {
      return "PREFIX " + p + ": <" + prefixes[p] + ">";
    }).join("\n") + "\n\n";

    // Set on the class defaults: Yasgui merges its config into them, and a merged array
    // would keep the default autocompleters.
    Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
    Yasgui.Yasqe.defaults.prefixCcApi = "/prefixes.json";
    Yasgui.Yasqe.defaults.editorHeight = "420px";  // each tab passes its own (unset) height over the config's

    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: {
        // absolute: YASGUI's network-error renderer parses the endpoint as a URL
        endpoint: window.location.origin + "/sparql",
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json",
        acceptHeaderGraph: "text/turtle",
      },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: window.location.origin + "/sparql" }]; } },
      copyEndpointOnNewTab: false,
      persistenceId: null,
      populateFromUrl: false,
      autofocus: true,
      yasqe: { value: head + DEFAULT_QUERY },
      yasr: { prefixes: prefixes },
    });
    window.respkgYasgui = yasgui;

    var note = document.getElementById("truncated");
    function watch(tab) {
      var yasqe = tab && tab.getYasqe();
      if (!yasqe || yasqe.respkgWatched) return;
      yasqe.respkgWatched = true;
      // the table's "Simple view" on by default: 10 rather than "10"^^xsd:integer
      var plugins = tab.getYasr() && tab.getYasr().config.plugins;
      if (plugins && plugins.table && !plugins.table.dynamicConfig) plugins.table.dynamicConfig = { compact: true };
      yasqe.on("queryResponse", function (_yasqe, response) {
        var total = response && response.header && response.header["x-respkg-truncated"];
        var body = response && response.body;
        var shown = body && body.results && body.results.bindings ? body.results.bindings.length : null;
        note.hidden = !total;
        note.textContent = total
          ? "结果已截断：只显示前 " + shown + " 行，共 " + total + " 行。 Truncated: the first " + shown +
            " of " + total + " rows are shown; narrow the query or add a LIMIT."
          : "";
      });
    }
    watch(yasgui.getTab());
    yasgui.on("query", function (_yasgui, tab) {
      note.hidden = true;
      watch(tab);
    });

    var select = document.getElementById("named-query");
    var about = document.getElementById("about");
    var byName = {};
    select.add(new Option("— 选择一个命名查询 / choose a named query (" + queries.length + ") —", ""));
    queries.forEach(function (q) {
      byName[q.name] = q;
      select.add(new Option(q.name + " · " + q.zh + " / " + q.en, q.name));
    });
    select.addEventListener("change", function () {
      var q = byName[select.value];
      about.textContent = "";
      if (!q) return;
      para(about, "zh", q.zh);
      para(about, "en", q.en);
      if (q.returns) para(about, "returns", "返回 Returns: " + q.returns);
      if (q.params.length) {
        para(about, "params", "参数 Parameters — 已按示例值绑定在 WHERE 开头，在编辑器中修改即可 / bound at the start " +
          "of the WHERE clause to an example value; change the value in the editor: " +
          q.params.map(function (p) { return "?" + p.name + " = " + p.example + " (" + p.help + ")"; }).join("; "));
      }
      var yasqe = yasgui.getTab().getYasqe();
      yasqe.setValue(head + q.editor);
      yasqe.focus();
    });
  }

  Promise.all([getJson("/prefixes.json"), getJson("/queries.json")]).then(function (loaded) {
    start(loaded[0], loaded[1]);
  }).catch(function (err) {
    var p = document.getElementById("about");
    p.textContent = "页面加载失败 / the page could not load: " + err.message;
  });
})();
