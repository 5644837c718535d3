(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("respkg-data").textContent);
  var N = D.nodes, E = D.edges, INFO = D.info;
  var api = window.respkgExplorer = { drawnAt: null, data: D };  // for the tests, and for the curious

  function el(tag, attrs, text) {
    var x = document.createElement(tag);
    if (attrs) for (var k in attrs) x.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) x.textContent = String(text);
    return x;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var x = document.createElementNS(SVG, tag);
    for (var k in attrs) x.setAttribute(k, attrs[k]);
    return x;
  }

  // styles: one shared colour object per relation, full and dimmed
  var REL = {}, KIND = {};
  D.rels.forEach(function (r) {
    REL[r[0]] = { label: r[1], color: r[2], width: r[3], dashes: r[4] || false, count: r[6],
                  base: { color: r[2], highlight: r[2], hover: r[2], opacity: D.big ? Math.min(r[5], 0.25) : r[5] },
                  on: { color: r[2], highlight: r[2], hover: r[2], opacity: 1 },
                  dim: { color: r[2], highlight: r[2], hover: r[2], opacity: 0.06 } };
  });
  D.kinds.forEach(function (k) {
    KIND[k[0]] = { label: k[1], shape: k[2], color: k[3], count: k[4], font: D.options.groups[k[0]].font.color };
  });

  var adj = N.map(function () { return []; });
  var headsOfTask = {};
  E.forEach(function (e, i) {
    var r = REL[e.rel];
    e.id = i;
    e.color = r.base;
    e.width = e.weight ? r.width * (1 + Math.log(e.weight) / Math.LN2 * 0.6) : r.width;
    e.dashes = D.big ? false : r.dashes;
    if (e.weight) e.title = r.label + "：" + e.weight + " 项任务";
    adj[e.from].push(i);
    adj[e.to].push(i);
    if (e.task !== undefined) (headsOfTask[e.task] = headsOfTask[e.task] || []).push(i);
  });

  // filters: node kinds, relations, and a scope (the nodes around a chapter/section or a leader's tasks)
  var kindOn = {}, relOn = {}, scope = null, scopeTasks = null;
  D.kinds.forEach(function (k) { kindOn[k[0]] = true; });
  D.rels.forEach(function (r) { relOn[r[0]] = true; });
  function nodeShown(i) { return kindOn[N[i].group] && (!scope || scope.has(i)); }
  var nodes = new vis.DataSet(N), edges = new vis.DataSet(E);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return relOn[e.rel] && nodeShown(e.from) && nodeShown(e.to) &&
      (!scopeTasks || e.task === undefined || scopeTasks.has(e.task));
  } });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, D.options);
  api.network = network;
  network.once("afterDrawing", function () { api.drawnAt = performance.now(); });

  // the neighbourhood of a node: its links, and for a task the heads named for it (and the reverse)
  function hood(i) {
    var ns = new Set([i]), es = new Set();
    function take(j) { var e = E[j]; es.add(j); ns.add(e.from); ns.add(e.to); }
    adj[i].forEach(function (j) {
      take(j);
      if (E[j].task !== undefined) ns.add(E[j].task);
    });
    (headsOfTask[i] || []).forEach(take);
    return { nodes: ns, edges: es };
  }
  function closure(start) {
    var ns = new Set(), ts = new Set();
    start.forEach(function (i) {
      hood(i).nodes.forEach(function (j) { ns.add(j); });
      if (N[i].group === "task") ts.add(i);
    });
    return { nodes: ns, tasks: ts };
  }

  // highlighting: dim everything outside the neighbourhood; update only what changes
  // states: 0 dimmed, 1 as drawn at first, 2 highlighted. A big graph dims nothing (updating every
  // node and edge takes seconds there): its edges are faint already and highlighted nodes get a border.
  var lit = null, nodeState = new Array(N.length).fill(1), edgeState = new Array(E.length).fill(1);
  function nodeLook(i, s) {
    return { id: i, opacity: s ? 1 : 0.18, borderWidth: s === 2 && D.big ? 5 : 1,
             font: Object.assign({}, N[i].font, { color: s ? KIND[N[i].group].font : "#c8c8c8" }) };
  }
  function applyLight() {
    var nu = [], eu = [], look = ["dim", "base", "on"];
    for (var i = 0; i < N.length; i++) {
      var s = !lit ? 1 : lit.nodes.has(i) ? 2 : D.big ? 1 : 0;
      if (s !== nodeState[i]) { nodeState[i] = s; nu.push(nodeLook(i, s)); }
    }
    for (var j = 0; j < E.length; j++) {
      var t = !lit ? 1 : lit.edges.has(j) ? 2 : D.big ? 1 : 0;
      if (t !== edgeState[j]) { edgeState[j] = t; eu.push({ id: j, color: REL[E[j].rel][look[t]] }); }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
  }
  function clearLight() { lit = null; applyLight(); network.unselectAll(); showHelp(); }

  function select(i, how) {
    if (!nodeShown(i)) resetFilters();
    network.selectNodes([i], false);
    lit = hood(i);
    applyLight();
    showInfo(i);
    if (!how || how.focus !== false) show(Array.from(lit.nodes), i);
  }
  // move the view onto a node: the whole neighbourhood if it fits legibly, else the node itself
  function show(ids, i) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, at = network.getPositions(ids);
    ids.forEach(function (j) {  // where the nodes are now: the user may have dragged some
      var p = at[j] || N[j];
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    var me = at[i] || N[i];
    var w = container.clientWidth || 800, h = container.clientHeight || 600;
    var fit = Math.min((w - 100) / (x1 - x0 + 1), (h - 100) / (y1 - y0 + 1));  // 50 px free on each side
    var fits = fit >= (D.big ? 0.45 : 0.2);
    network.moveTo({ position: fits ? { x: (x0 + x1) / 2, y: (y0 + y1) / 2 } : { x: me.x, y: me.y },
                     scale: fits ? Math.min(1.2, fit) : D.big ? 1.0 : 0.45,
                     animation: D.big ? false : { duration: 450, easingFunction: "easeInOutQuad" } });
  }
  api.select = select;
  api.selected = function () { return network.getSelectedNodes(); };
  api.highlighted = function () { return lit ? Array.from(lit.nodes) : []; };
  api.drawn = function () {  // what vis-network draws now (not what it was given)
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };

  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], { focus: false });
    else clearLight();
  });

  // the side panel
  var panel = document.getElementById("panel");
  function link(text, i) {
    if (i < 0) return el("span", null, text);
    var a = el("a", { href: "#", "class": "node" }, text);
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(i); });
    return a;
  }
  function showInfo(i) {
    var info = INFO[i], n = N[i];
    panel.textContent = "";
    panel.appendChild(el("h2", null, n.group === "task" ? info.sub : n.label));
    panel.appendChild(el("div", { "class": "sub" }, n.group === "task" ? KIND.task.label : info.sub));
    if (info.facts.length) {
      var tb = el("table");
      info.facts.forEach(function (f) {
        var tr = el("tr");
        tr.appendChild(el("td", null, f[0]));
        tr.appendChild(el("td", { "class": "v" }, f[1]));
        tb.appendChild(tr);
      });
      panel.appendChild(tb);
    }
    if (info.text) panel.appendChild(el("div", { "class": "text" }, info.text));
    info.lists.forEach(function (l) {
      panel.appendChild(el("h3", null, l[0]));
      var ul = el("ul");
      if (!l[1].length) ul.appendChild(el("li", null, "—"));
      l[1].forEach(function (it) {
        var li = el("li", it[3] ? { "class": "indent" } : null);
        if (it[3]) li.appendChild(document.createTextNode("└ "));
        li.appendChild(link(it[0], it[1]));
        if (it[2]) li.appendChild(el("span", { "class": "note" }, it[2]));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    });
  }
  function showHelp() {
    panel.textContent = "";
    panel.appendChild(el("h2", null, "怎么用"));
    var p = el("div", { "class": "help" });
    ["在上方搜索领导、单位的名字，或任务编号、任务文字。",
     "点击节点：高亮它的关联（任务、单位、责任领导、分管市领导），这里显示详情；点击详情里的名字继续追踪。",
     "左侧的图例可按节点类型、关系、章节和分管市领导筛选。滚轮缩放，拖动平移。"].forEach(function (t) {
      p.appendChild(el("p", null, t));
    });
    panel.appendChild(p);
    panel.appendChild(el("p", { "class": "sub" }, N.length + " 个节点，" + E.length + " 条连线。"));
  }

  // search: exact label first, then prefix, then substring; task numbers and task texts too
  var q = document.getElementById("q"), hits = document.getElementById("hits"), active = -1, found = [];
  function find(s) {
    s = s.trim().toLowerCase();
    if (!s) return [];
    var out = [], number = s.replace(/^任务\s*/, "");  // "任务 45" finds task 45 as "45" does
    for (var i = 0; i < N.length; i++) {
      var lab = String(N[i].label).toLowerCase(), rank = -1;
      if (lab === s || (N[i].group === "task" && lab === number)) rank = 0;
      else if (lab.indexOf(s) === 0) rank = 1;
      else if (lab.indexOf(s) > 0) rank = 2;
      else if (INFO[i].text && INFO[i].text.toLowerCase().indexOf(s) >= 0) rank = 3;
      if (rank >= 0) out.push([rank, -N[i].size, i]);
    }
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return out.slice(0, 30).map(function (x) { return x[2]; });
  }
  function display(i) {
    return N[i].group === "task" ? INFO[i].sub + " " + (INFO[i].text || "").slice(0, 24) : N[i].label;
  }
  function showHits() {
    found = find(q.value);
    hits.textContent = "";
    active = found.length ? 0 : -1;
    if (!q.value.trim()) { hits.hidden = true; return; }
    if (!found.length) hits.appendChild(el("li", { "class": "none" }, "没有找到"));
    found.forEach(function (i, k) {
      var li = el("li", { role: "option" });
      li.appendChild(el("span", null, display(i)));
      li.appendChild(el("span", { "class": "kind" }, KIND[N[i].group].label));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(k); });
      hits.appendChild(li);
    });
    mark();
    hits.hidden = false;
  }
  function mark() {
    Array.prototype.forEach.call(hits.children, function (li, k) { li.classList.toggle("active", k === active); });
  }
  function choose(k) {
    if (k < 0 || k >= found.length) return;
    var i = found[k];
    hits.hidden = true;
    q.value = N[i].group === "task" ? INFO[i].sub : N[i].label;
    select(i);
  }
  q.addEventListener("input", showHits);
  q.addEventListener("focus", function () { if (q.value.trim()) showHits(); });
  q.addEventListener("blur", function () { hits.hidden = true; });
  q.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!found.length) return;
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      mark();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!found.length) found = find(q.value);
      choose(active < 0 ? 0 : active);
    } else if (ev.key === "Escape") { hits.hidden = true; }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.target !== q && lit) clearLight();
  });
  api.search = function (s) { q.value = s; found = find(s); choose(0); return found.length ? found[0] : -1; };

  // legend and filters
  function swatchNode(k) {
    var s = svg("svg", { width: 18, height: 18, viewBox: "-9 -9 18 18", "class": "sw" });
    var c = { fill: k.color, stroke: "#333", "stroke-width": 0.8 }, shape;
    function poly(pts) { return svg("polygon", Object.assign({ points: pts }, c)); }
    if (k.shape === "dot") shape = svg("circle", Object.assign({ r: 6 }, c));
    else if (k.shape === "square") shape = svg("rect", Object.assign({ x: -6, y: -6, width: 12, height: 12 }, c));
    else if (k.shape === "diamond") shape = poly("0,-7 7,0 0,7 -7,0");
    else if (k.shape === "triangle") shape = poly("0,-7 7,6 -7,6");
    else if (k.shape === "triangleDown") shape = poly("0,7 7,-6 -7,-6");
    else if (k.shape === "star") {
      shape = poly("0,-8 2.2,-2.6 7.8,-2.5 3.4,1 5,6.6 0,3.3 -5,6.6 -3.4,1 -7.8,-2.5 -2.2,-2.6");
    }
    else shape = poly("7,0 3.5,6 -3.5,6 -7,0 -3.5,-6 3.5,-6");
    s.appendChild(shape);
    return s;
  }
  function swatchEdge(r) {
    var s = svg("svg", { width: 30, height: 12, "class": "sw" });
    var line = svg("line", { x1: 1, y1: 6, x2: 24, y2: 6, stroke: r.color,
                             "stroke-width": Math.max(1.4, r.width * 1.3) });
    if (r.dashes && !D.big) line.setAttribute("stroke-dasharray", r.dashes.join(" "));
    s.appendChild(line);
    s.appendChild(svg("polygon", { points: "23,2 29,6 23,10", fill: r.color }));
    return s;
  }
  function check(box, labelText, swatch, count, onChange) {
    var lab = el("label");
    var cb = el("input", { type: "checkbox" });
    cb.checked = true;
    cb.addEventListener("change", function () { onChange(cb.checked); });
    lab.appendChild(cb);
    lab.appendChild(swatch);
    lab.appendChild(el("span", null, labelText));
    lab.appendChild(el("span", { "class": "n" }, count));
    box.appendChild(lab);
    return cb;
  }
  var kindBoxes = {}, relBoxes = {};
  D.kinds.forEach(function (k) {
    kindBoxes[k[0]] = check(document.getElementById("kinds"), KIND[k[0]].label, swatchNode(KIND[k[0]]), k[4],
      function (on) { kindOn[k[0]] = on; refresh(); });
    kindBoxes[k[0]].dataset.kind = k[0];
  });
  D.rels.forEach(function (r) {
    relBoxes[r[0]] = check(document.getElementById("rels"), REL[r[0]].label, swatchEdge(REL[r[0]]), REL[r[0]].count,
      function (on) { relOn[r[0]] = on; refresh(); });
    relBoxes[r[0]].dataset.rel = r[0];
  });
  var fSection = document.getElementById("f-section"), fLeader = document.getElementById("f-leader");
  var fStatus = document.getElementById("f-status");
  // the tasks' statuses at the page's date (kg build with progress sources): a legend and a scope filter
  if (D.statuses.length) {
    document.getElementById("progress").hidden = false;
    document.getElementById("pick-status").hidden = false;
    document.getElementById("status-title").textContent = "进度状态（截至" + D.asOf + "）";
    D.statuses.forEach(function (s, k) {
      var row = el("div", { "class": "status" });
      var sw = svg("svg", { width: 18, height: 18, viewBox: "-9 -9 18 18", "class": "sw" });
      sw.appendChild(svg("circle", { r: 6, fill: s[2], stroke: "#333", "stroke-width": 0.8 }));
      row.appendChild(sw);
      row.appendChild(el("span", null, s[1]));
      row.appendChild(el("span", { "class": "n" }, s[3]));
      document.getElementById("statuses").appendChild(row);
      fStatus.appendChild(el("option", { value: String(k) }, s[1] + "（" + s[3] + "）"));
    });
  }
  var SCOPES = [[fSection, D.sections], [fLeader, D.leaders], [fStatus, D.statuses]];
  D.sections.forEach(function (s, k) {
    fSection.appendChild(el("option", { value: String(k) }, (s[1] ? "\u3000" : "") + s[0]));
  });
  D.leaders.forEach(function (s, k) {
    fLeader.appendChild(el("option", { value: String(k) }, s[0] + "（" + s[1] + "）"));
  });
  if (!D.sections.length) fSection.disabled = true;
  if (!D.leaders.length) fLeader.disabled = true;
  function setScope() {  // the nodes every chosen filter starts from (a status's: its tasks)
    var start = null;
    SCOPES.forEach(function (p) {
      if (p[0].value === "") return;
      var from = p[1][+p[0].value];
      from = from[from.length - 1];
      start = start === null ? from : start.filter(function (i) { return from.indexOf(i) >= 0; });
    });
    if (start === null) { scope = scopeTasks = null; refresh(); return; }
    var c = closure(start);
    scope = c.nodes;
    scopeTasks = c.tasks.size ? c.tasks : null;
    refresh();
    if (scope.size) network.fit({ nodes: Array.from(scope).filter(nodeShown), animation: { duration: 400 } });
  }
  SCOPES.forEach(function (p) { p[0].addEventListener("change", setScope); });
  function resetFilters() {
    D.kinds.forEach(function (k) { kindOn[k[0]] = true; kindBoxes[k[0]].checked = true; });
    D.rels.forEach(function (r) { relOn[r[0]] = true; relBoxes[r[0]].checked = true; });
    SCOPES.forEach(function (p) { p[0].value = ""; });
    scope = scopeTasks = null;
    refresh();
  }
  document.getElementById("reset").addEventListener("click", function () { resetFilters(); network.fit(); });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 400 } });
  });

  var count = document.getElementById("count");
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    count.textContent = nodeView.length + "/" + N.length + " 个节点 · " + edgeView.length + "/" + E.length + " 条连线" +
      (D.aggregated ? "（聚合）" : "");
  }
  api.refresh = refresh;
  api.resetFilters = resetFilters;

  var note = document.getElementById("note");
  if (D.note || D.links.length) {
    D.links.forEach(function (l) { note.appendChild(el("a", { href: l[1] }, l[0])); });
    note.appendChild(document.createTextNode(D.note));
    note.hidden = false;
  }
  refresh();
  if (D.focus >= 0) {
    network.selectNodes([D.focus], false);
    showInfo(D.focus);
  } else showHelp();
})();
