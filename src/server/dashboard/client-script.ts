// The browser side of the dashboard (served as ecograph-dashboard.js, after echarts.min.js).
// Plain ES2017, no build step. It reads its settings from the inert
// <script type="application/json" id="ed-config"> element, keeps the API key in sessionStorage
// only, sends it as `Authorization: Bearer <key>`, and uses nothing but the public GraphQL API.
//
// Every panel carries data-state (idle, loading, ready, error, unavailable) and data-points (how
// many values it drew); <body data-dashboard> is idle, loading, ready, auth-error, role-error or
// error, and data-load-ms says how long the last load took. Tests and monitors read these.
export const DASHBOARD_SCRIPT = String.raw`(function () {
  'use strict';
  var configEl = document.getElementById('ed-config');
  var config = JSON.parse((configEl && configEl.textContent) || '{}');
  var keyItem = config.keyStorageItem || 'ecograph:apiKey';
  var ROLE_MESSAGE = 'This key\u2019s role cannot see the dashboard; use a dashboard, analyst or admin key.';
  var reduceMotion = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  var body = document.body;

  function byId(id) { return document.getElementById(id); }
  var keyForm = byId('ed-keyform');
  var keyInput = byId('ed-key');
  var keyToggle = byId('ed-key-toggle');
  var keyMessage = byId('ed-key-message');
  var filterForm = byId('ed-filters');
  var fromInput = byId('ed-from');
  var toInput = byId('ed-to');
  var categorySelect = byId('ed-category');
  var statusEl = byId('ed-status');

  // ---- API key: sessionStorage only (never localStorage, never a cookie) ----
  function normaliseKey(value) { return String(value || '').trim().replace(/^bearer\s+/i, ''); }
  function readKey() { try { return sessionStorage.getItem(keyItem) || ''; } catch (e) { return ''; } }
  function writeKey(value) {
    try { if (value) sessionStorage.setItem(keyItem, value); else sessionStorage.removeItem(keyItem); } catch (e) { /* storage disabled */ }
  }
  var apiKey = normaliseKey(readKey());
  keyInput.value = apiKey;

  function showKeyError(text) {
    keyForm.classList.add('ed-error');
    keyInput.setAttribute('aria-invalid', 'true');
    keyMessage.textContent = text;
    keyMessage.hidden = false;
  }
  function clearKeyError() {
    keyForm.classList.remove('ed-error');
    keyInput.removeAttribute('aria-invalid');
    keyMessage.textContent = '';
    keyMessage.hidden = true;
  }

  // ---- formatting ----
  function humanize(key) {
    var text = String(key || '').toLowerCase().replace(/_/g, ' ').replace(/\bco (creation|building)\b/g, 'co-$1');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  /** A Money decimal string ("1234.50") as integer cents, exactly; null stays null. */
  function cents(money) {
    if (money === null || money === undefined) return null;
    var m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(money));
    if (!m) { var n = Number(money); return isFinite(n) ? Math.round(n * 100) : null; }
    var v = Number(m[2]) * 100 + Number(((m[3] || '') + '00').slice(0, 2));
    return m[1] ? -v : v;
  }
  function yuan(money) { var c = cents(money); return c === null ? null : c / 100; }
  function num(value) { if (value === null || value === undefined) return null; var n = Number(value); return isFinite(n) ? n : null; }
  var NF0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var NF1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var NF2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function cny(v) { return v === null || v === undefined || isNaN(v) ? '\u2013' : 'CNY ' + NF2.format(v); }
  function cnyShort(v) {
    var a = Math.abs(v), sign = v < 0 ? '-' : '';
    if (a >= 1e9) return sign + '\u00a5' + NF1.format(a / 1e9) + 'B';
    if (a >= 1e6) return sign + '\u00a5' + NF1.format(a / 1e6) + 'M';
    if (a >= 1e3) return sign + '\u00a5' + NF0.format(a / 1e3) + 'k';
    return sign + '\u00a5' + NF0.format(a);
  }
  function pct(v, digits) { return v === null || v === undefined || isNaN(v) ? '\u2013' : (v > 0 ? '+' : '') + v.toFixed(digits === undefined ? 1 : digits) + '%'; }

  // ---- months: an index is year * 12 + month - 1 ----
  function parseMonth(s) {
    var m = /^(\d{4})-(\d{2})$/.exec(String(s || ''));
    if (!m) return null;
    var mo = Number(m[2]);
    return mo >= 1 && mo <= 12 ? Number(m[1]) * 12 + mo - 1 : null;
  }
  function monthStr(i) { var y = Math.floor(i / 12), m = (i % 12) + 1; return y + '-' + (m < 10 ? '0' : '') + m; }
  function monthName(i) {
    return new Date(Date.UTC(Math.floor(i / 12), i % 12, 1)).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  }
  /** The last whole quarter that ends in or before month i, as "YYYY-Qn". */
  function quarterOf(i) {
    var m = i % 12;
    var end = m % 3 === 2 ? i : i - (m % 3) - 1;
    return Math.floor(end / 12) + '-Q' + (Math.floor((end % 12) / 3) + 1);
  }
  function previousMonthIndex() { var d = new Date(); return d.getFullYear() * 12 + d.getMonth() - 1; }

  // ---- GraphQL over fetch ----
  function DashError(kind, message, code) { this.kind = kind; this.message = message; this.code = code; }
  function describe(bodyJson, res) {
    var first = bodyJson && Array.isArray(bodyJson.errors) ? bodyJson.errors[0] : null;
    if (first && typeof first.message === 'string') return first.message;
    if (bodyJson && typeof bodyJson.message === 'string') return bodyJson.message;
    return 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : '');
  }
  // Answers with an ETag are kept: asking again sends If-None-Match, and a 304 (the figures have
  // not changed since) reuses the answer without transferring it.
  var validated = {};
  function gql(query, variables) {
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (apiKey) headers.authorization = 'Bearer ' + apiKey;
    var body = JSON.stringify({ query: query, variables: variables || {} });
    var held = validated[body];
    if (held) headers['if-none-match'] = held.etag;
    return fetch(config.endpoint, {
      method: 'POST', headers: headers, body: body,
      credentials: 'same-origin', cache: 'no-store',
    }).then(function (res) {
      if (res.status === 304 && held) return held.data;
      var etag = res.headers.get('etag');
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        var errors = json && Array.isArray(json.errors) ? json.errors : [];
        var code = errors[0] && errors[0].extensions ? errors[0].extensions.code : undefined;
        if (res.status === 401) throw new DashError('auth', describe(json, res), code);
        if (errors.length && !(json && json.data)) {
          // A field the caller's schema lacks: its role cannot see it (or the server is older).
          var missing = errors.some(function (e) { return /^Cannot query field/.test(String(e.message)); });
          if (code === 'GRAPHQL_VALIDATION_FAILED' && missing) throw new DashError('schema', describe(json, res), code);
          throw new DashError('graphql', describe(json, res), code);
        }
        if (!json || typeof json !== 'object' || !json.data) throw new DashError('http', describe(json, res), code);
        if (etag && !errors.length) validated[body] = { etag: etag, data: json.data };
        return json.data;
      });
    }, function (err) {
      throw new DashError('network', 'The server could not be reached (' + (err && err.message ? err.message : err) + ')');
    });
  }

  // ---- panels ----
  var panels = {};
  Array.prototype.forEach.call(document.querySelectorAll('[data-panel]'), function (el) {
    panels[el.getAttribute('data-panel')] = {
      el: el,
      chartEl: el.querySelector('[data-role="chart"]'),
      messageEl: el.querySelector('[data-role="message"]'),
      noteEl: el.querySelector('[data-role="note"]'),
      summaryEl: el.querySelector('[data-role="summary"]'),
      listsEl: el.querySelector('[data-role="lists"]'),
      tableEl: el.querySelector('[data-role="table"]'),
      chart: null,
    };
  });
  function setPanel(id, state, message, points) {
    var p = panels[id];
    p.el.setAttribute('data-state', state);
    p.el.setAttribute('data-points', String(points || 0));
    p.el.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
    p.messageEl.textContent = message || '';
  }
  function resetPanels(state, message) { Object.keys(panels).forEach(function (id) { setPanel(id, state, message, 0); }); }
  /** Shows the panel (ECharts needs a visible, sized element), then draws the option. */
  function draw(id, option, points, message, height) {
    var p = panels[id];
    setPanel(id, 'ready', message || '', points);
    if (height) p.chartEl.style.height = height + 'px';
    if (!p.chart) p.chart = echarts.init(p.chartEl, null, { renderer: 'canvas' });
    else p.chart.resize();
    p.chart.setOption(option, { notMerge: true });
  }
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Object.keys(panels).forEach(function (id) { if (panels[id].chart) panels[id].chart.resize(); });
    }, 120);
  });

  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif';
  var PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#8250df', '#cf222e', '#0a7f83', '#bc4c00', '#6e7781'];
  function baseOption(extra) {
    var option = {
      animation: !reduceMotion, animationDuration: 400, animationDurationUpdate: 300,
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 20, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, type: 'scroll', textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'axis', confine: true },
    };
    Object.keys(extra).forEach(function (k) { option[k] = extra[k]; });
    return option;
  }
  /** A value axis named at its top end (y) or under its middle (x; the grid leaves room for it). */
  function yNamed(axis, name) {
    axis.name = name;
    axis.nameTextStyle = { color: '#59636e', align: 'left', padding: [0, 0, 0, -4] };
    return axis;
  }
  function xNamed(axis, name) {
    axis.name = name;
    axis.nameLocation = 'middle';
    axis.nameGap = 26;
    axis.nameTextStyle = { color: '#59636e' };
    return axis;
  }
  var X_NAMED_GRID_BOTTOM = 30;

  // ---- queries ----
  var Q_BOOT = 'query DashboardBootstrap { alertRules { id } settlements(first: 1, orderBy: [{ month: DESC }, { id: DESC }]) { nodes { month } } }';
  var Q_GMV = 'query DashboardGmv($from: Date!, $to: Date!, $where: MetricFilter) {' +
    ' ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: CATEGORY, where: $where) {' +
    ' periods series { key label points { period gmv } } total { points { period gmv } } } }';
  var Q_TIERS = 'query DashboardTiers($from: Date!, $to: Date!, $where: MetricFilter) {' +
    ' ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: QUALITY_TIER, where: $where) {' +
    ' periods series { key label points { period activePartners } } } }';
  var Q_EVOLUTION = 'query DashboardEvolution($quarter: String!) {' +
    ' partnerEvolution(quarter: $quarter) { partnerSlug partnerName rank rankedCount score monthsScored decision } }';
  var Q_ALERTS = 'query DashboardAlerts { alerts(currentOnly: true) { rule { name metric scope } scopeLabel periods values } }';
  var Q_SETTLEMENTS = 'query DashboardSettlements($month: Date!, $after: String) {' +
    ' settlements(where: { month: { eq: $month } }, first: 100, after: $after) {' +
    ' totalCount pageInfo { hasNextPage endCursor } nodes { model gross platformShare partnerShare partner { category } } } }';
  var Q_CASES = 'query DashboardCases { collaborationCases(first: 50) { totalCount nodes { slug titleEn model year kpis { name unit relativeChangePct } } } }';

  // ---- GMV by category ----
  function loadGmv(f) {
    return gql(Q_GMV, { from: f.fromDate, to: f.toDate, where: f.where }).then(function (data) {
      var m = data.ecosystemMetrics;
      var points = 0;
      var series = m.series.map(function (s) {
        return {
          name: humanize(s.label || s.key), type: 'line', stack: 'gmv', areaStyle: { opacity: 0.25 }, symbol: 'none', smooth: false,
          emphasis: { focus: 'series' },
          data: s.points.map(function (pt) { var v = yuan(pt.gmv); if (v !== null) points++; return v; }),
        };
      });
      panels.gmv.noteEl.textContent = 'Monthly GMV, CNY, stacked by category \u00b7 ' + f.rangeLabel + (f.category ? ' \u00b7 ' + humanize(f.category) : '');
      if (!points) { setPanel('gmv', 'ready', 'No GMV in this period.', 0); return; }
      draw('gmv', baseOption({
        tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return cny(v); } },
        xAxis: { type: 'category', boundaryGap: false, data: m.periods, axisLabel: { hideOverlap: true } },
        yAxis: yNamed({ type: 'value', axisLabel: { formatter: cnyShort } }, 'GMV (CNY)'),
        series: series,
      }), points);
    });
  }

  // ---- partners by quality tier ----
  var TIER_ORDER = ['GOLD', 'SILVER', 'BRONZE', 'YELLOW_CARD', 'EXITED', 'UNRATED'];
  var TIER_COLORS = { GOLD: '#d4a017', SILVER: '#8c959f', BRONZE: '#b0703c', YELLOW_CARD: '#f2cc60', EXITED: '#cf222e', UNRATED: '#c9d1d9' };
  function loadTiers(f) {
    return gql(Q_TIERS, { from: f.fromDate, to: f.toDate, where: f.where }).then(function (data) {
      var m = data.ecosystemMetrics;
      var list = m.series.slice().sort(function (a, b) {
        var ia = TIER_ORDER.indexOf(a.key), ib = TIER_ORDER.indexOf(b.key);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
      var points = 0;
      var selected = {};
      var series = list.map(function (s) {
        var name = humanize(s.label || s.key);
        if (s.key === 'UNRATED') selected[name] = false;
        return {
          name: name, type: 'bar', stack: 'tiers', barMaxWidth: 22, color: TIER_COLORS[s.key], emphasis: { focus: 'series' },
          data: s.points.map(function (pt) { if (pt.activePartners !== null) points++; return pt.activePartners; }),
        };
      });
      panels.tiers.noteEl.textContent = 'Active partners per month by that month\u2019s tier \u00b7 ' + f.rangeLabel + (f.category ? ' \u00b7 ' + humanize(f.category) : '') + ' \u00b7 unrated hidden (click the legend to show)';
      // What changed: the first and the last month of the range, per tier.
      var summary = panels.tiers.summaryEl;
      summary.textContent = '';
      var last = m.periods.length - 1;
      list.forEach(function (s) {
        if (last < 0) return;
        var a = s.points[0] ? s.points[0].activePartners || 0 : 0;
        var b = s.points[last] ? s.points[last].activePartners || 0 : 0;
        var item = document.createElement('span');
        var strong = document.createElement('b');
        strong.textContent = String(b);
        item.appendChild(document.createTextNode(humanize(s.key) + ' '));
        item.appendChild(strong);
        item.appendChild(document.createTextNode(' (' + (b - a >= 0 ? '+' : '') + (b - a) + ' since ' + m.periods[0] + ')'));
        summary.appendChild(item);
      });
      if (!points) { setPanel('tiers', 'ready', 'No rated partners in this period.', 0); return; }
      draw('tiers', baseOption({
        legend: { top: 0, left: 0, type: 'scroll', selected: selected },
        xAxis: { type: 'category', data: m.periods, axisLabel: { hideOverlap: true } },
        yAxis: yNamed({ type: 'value', minInterval: 1 }, 'Active partners'),
        series: series,
      }), points);
    });
  }

  // ---- quarterly evolution: top 20% / bottom 10% ----
  var DECISIONS = [
    { key: 'KEEP', name: 'Top 20% \u00b7 keep', color: '#2da44e' },
    { key: 'HOLD', name: 'Hold', color: '#afb8c1' },
    { key: 'EXIT', name: 'Bottom 10% \u00b7 exit', color: '#cf222e' },
    { key: 'NOT_ENOUGH_DATA', name: 'Too few orders to judge', color: '#d0d7de' },
  ];
  function loadEvolution(f) {
    return gql(Q_EVOLUTION, { quarter: f.quarter }).then(function (data) {
      var rows = (data.partnerEvolution || []).slice().sort(function (a, b) { return a.rank - b.rank; });
      panels.evolution.noteEl.textContent = f.quarter + ' \u00b7 partners ranked by evaluation score over the quarter, shrunk toward the mean on few orders (0\u2013100); all categories';
      var lists = panels.evolution.listsEl;
      lists.textContent = '';
      if (!rows.length) { setPanel('evolution', 'ready', 'No partner was scored in ' + f.quarter + '.', 0); return; }
      var ranks = rows.map(function (r) { return String(r.rank); });
      var series = DECISIONS.map(function (d) {
        var n = rows.filter(function (r) { return r.decision === d.key; }).length;
        return {
          name: d.name + ' (' + n + ')', type: 'bar', stack: 'score', color: d.color, barCategoryGap: '15%',
          data: rows.map(function (r) { return r.decision === d.key ? num(r.score) : null; }),
        };
      });
      lists.appendChild(rankList('Top 20% (keep)', rows.filter(function (r) { return r.decision === 'KEEP'; })));
      lists.appendChild(rankList('Bottom 10% (exit)', rows.filter(function (r) { return r.decision === 'EXIT'; }).reverse()));
      draw('evolution', baseOption({
        tooltip: {
          trigger: 'axis', confine: true,
          formatter: function (params) {
            var r = rows[params[0].dataIndex];
            return '#' + r.rank + ' of ' + r.rankedCount + ': <b>' + escapeHtml(r.partnerName) + '</b><br>score ' + escapeHtml(r.score) +
              ' \u00b7 ' + r.monthsScored + ' month(s) scored \u00b7 ' + escapeHtml(humanize(r.decision));
          },
        },
        grid: { left: 8, right: 20, top: 56, bottom: X_NAMED_GRID_BOTTOM, containLabel: true },
        xAxis: xNamed({ type: 'category', data: ranks, axisLabel: { hideOverlap: true }, axisTick: { show: false } }, 'Rank in the quarter'),
        yAxis: yNamed({ type: 'value', min: 0, max: 100 }, 'Score (0\u2013100)'),
        series: series,
      }), rows.length, '', 260);
    });
  }
  function rankList(title, rows) {
    var box = document.createElement('div');
    var h = document.createElement('h3');
    h.textContent = title + ' \u00b7 ' + rows.length;
    var ol = document.createElement('ol');
    ol.className = 'ed-list';
    rows.forEach(function (r) {
      var li = document.createElement('li');
      var name = document.createElement('span');
      name.textContent = '#' + r.rank + ' ' + r.partnerName;
      name.title = r.partnerSlug;
      var score = document.createElement('span');
      score.className = 'ed-num';
      score.textContent = NF1.format(Number(r.score));
      li.appendChild(name);
      li.appendChild(score);
      ol.appendChild(li);
    });
    box.appendChild(h);
    box.appendChild(ol);
    return box;
  }

  // ---- current alerts ----
  function formatAlertValue(metric, value) {
    var v = num(value);
    if (v === null) return String(value);
    switch (metric) {
      case 'ONLINE_ORDER_SHARE': case 'COMPLAINT_RATE': case 'SLA_BREACH_RATE': return NF1.format(v * 100) + '%';
      case 'AVERAGE_RATING': return NF2.format(v);
      case 'GMV': return cny(v);
      case 'RESPONSE_P95_MINUTES': return NF0.format(v) + ' min';
      default: return NF0.format(v);
    }
  }
  function loadAlerts() {
    return gql(Q_ALERTS).then(function (data) {
      var alerts = data.alerts || [];
      var table = panels.alerts.tableEl;
      table.textContent = '';
      if (!alerts.length) { setPanel('alerts', 'ready', 'No alert is firing.', 0); return; }
      var periods = [];
      alerts.forEach(function (a) { a.periods.forEach(function (p) { if (periods.indexOf(p) < 0) periods.push(p); }); });
      periods.sort();
      var rowsLabels = alerts.map(function (a) { return a.scopeLabel + ' \u00b7 ' + a.rule.name; });
      var byRule = {};
      alerts.forEach(function (a, row) {
        var list = byRule[a.rule.name] || (byRule[a.rule.name] = []);
        a.periods.forEach(function (p, k) { list.push({ value: [periods.indexOf(p), row], alert: a, period: p, raw: a.values[k] }); });
      });
      var points = 0;
      var series = Object.keys(byRule).map(function (name, i) {
        points += byRule[name].length;
        return { name: name, type: 'scatter', symbol: 'roundRect', symbolSize: [14, 12], color: ['#cf222e', '#bc4c00', '#8250df', '#bf8700'][i % 4], data: byRule[name] };
      });
      draw('alerts', baseOption({
        grid: { left: 8, right: 20, top: 56, bottom: X_NAMED_GRID_BOTTOM, containLabel: true },
        tooltip: {
          trigger: 'item', confine: true,
          formatter: function (p) {
            var a = p.data.alert;
            return '<b>' + escapeHtml(a.scopeLabel) + '</b><br>' + escapeHtml(a.rule.name) + '<br>' + escapeHtml(p.data.period) + ': ' +
              escapeHtml(formatAlertValue(a.rule.metric, p.data.raw));
          },
        },
        xAxis: xNamed({ type: 'category', data: periods, splitLine: { show: true, lineStyle: { color: '#eef1f5' } } }, 'Triggering periods'),
        yAxis: {
          type: 'category', data: rowsLabels, inverse: true, axisLabel: { fontSize: 11, width: 250, overflow: 'truncate' },
          splitLine: { show: true, lineStyle: { color: '#eef1f5' } },
        },
        series: series,
      }), points, '', Math.max(200, 100 + alerts.length * 20));
      table.appendChild(alertTable(alerts));
    });
  }
  function alertTable(alerts) {
    var t = document.createElement('table');
    t.className = 'ed-table';
    var head = t.createTHead().insertRow();
    ['Rule', 'Scope', 'Periods and values'].forEach(function (h) { var th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
    var tb = t.createTBody();
    alerts.forEach(function (a) {
      var tr = tb.insertRow();
      tr.insertCell().textContent = a.rule.name;
      tr.insertCell().textContent = a.scopeLabel;
      var cell = tr.insertCell();
      a.periods.forEach(function (p, k) {
        var chip = document.createElement('span');
        chip.className = 'ed-chip';
        chip.textContent = p + ': ' + formatAlertValue(a.rule.metric, a.values[k]);
        cell.appendChild(chip);
      });
    });
    return t;
  }

  // ---- settlements of the last month by model ----
  var MODEL_ORDER = ['COMMISSION', 'REVENUE_SHARE', 'PLATFORM_FEE'];
  function fetchSettlements(month, after, acc, pages) {
    return gql(Q_SETTLEMENTS, { month: month, after: after }).then(function (data) {
      var c = data.settlements;
      Array.prototype.push.apply(acc, c.nodes);
      if (c.pageInfo.hasNextPage && c.pageInfo.endCursor && pages < 200) return fetchSettlements(month, c.pageInfo.endCursor, acc, pages + 1);
      return acc;
    });
  }
  function loadSettlements(f) {
    return fetchSettlements(f.monthDate, null, [], 1).then(function (nodes) {
      var rows = f.category ? nodes.filter(function (n) { return n.partner && n.partner.category === f.category; }) : nodes;
      var by = {};
      rows.forEach(function (n) {
        var t = by[n.model] || (by[n.model] = { count: 0, gross: 0, platform: 0, partner: 0 });
        t.count++;
        t.gross += cents(n.gross) || 0;
        t.platform += cents(n.platformShare) || 0;
        t.partner += cents(n.partnerShare) || 0;
      });
      var models = Object.keys(by).sort(function (a, b) { return MODEL_ORDER.indexOf(a) - MODEL_ORDER.indexOf(b); });
      panels.settlements.noteEl.textContent = monthName(f.toIndex) + ' \u00b7 platform and partner shares, CNY' + (f.category ? ' \u00b7 ' + humanize(f.category) : '');
      var summary = panels.settlements.summaryEl;
      summary.textContent = '';
      var total = { count: 0, gross: 0, platform: 0, partner: 0 };
      models.forEach(function (k) { total.count += by[k].count; total.gross += by[k].gross; total.platform += by[k].platform; total.partner += by[k].partner; });
      [['Settlements', NF0.format(total.count)], ['Gross', cny(total.gross / 100)], ['Platform share', cny(total.platform / 100)], ['Partner share', cny(total.partner / 100)]].forEach(function (pair) {
        var item = document.createElement('span');
        var strong = document.createElement('b');
        strong.textContent = pair[1];
        item.appendChild(document.createTextNode(pair[0] + ' '));
        item.appendChild(strong);
        summary.appendChild(item);
      });
      if (!models.length) { setPanel('settlements', 'ready', 'No settlement for ' + monthName(f.toIndex) + '.', 0); return; }
      var labels = models.map(function (k) { return humanize(k) + ' (' + by[k].count + ')'; });
      var valueLabel = { show: true, position: 'top', fontSize: 10, color: '#59636e', formatter: function (p) { return cnyShort(p.value); } };
      var bars = [['Gross', 'gross', '#6e7781'], ['Platform share', 'platform', '#1f6feb'], ['Partner share', 'partner', '#2da44e']];
      draw('settlements', baseOption({
        tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return cny(v); } },
        xAxis: { type: 'category', data: labels },
        yAxis: yNamed({ type: 'value', axisLabel: { formatter: cnyShort } }, 'CNY'),
        series: bars.map(function (b) {
          return { name: b[0], type: 'bar', barMaxWidth: 40, color: b[2], label: valueLabel, data: models.map(function (k) { return by[k][b[1]] / 100; }) };
        }),
      }), models.length * bars.length);
    });
  }

  // ---- collaboration cases: KPI uplifts ----
  var CASE_MODELS = ['RESOURCE_COMPLEMENTARY', 'TECHNOLOGY_DRIVEN', 'ECOSYSTEM_CO_BUILDING'];
  var CASE_COLORS = { RESOURCE_COMPLEMENTARY: '#1f6feb', TECHNOLOGY_DRIVEN: '#8250df', ECOSYSTEM_CO_BUILDING: '#2da44e' };
  function loadCases() {
    return gql(Q_CASES).then(function (data) {
      var cases = data.collaborationCases.nodes;
      var items = [];
      cases.forEach(function (c) {
        var short = String(c.titleEn).split(':')[0];
        c.kpis.forEach(function (k) {
          var v = num(k.relativeChangePct);
          if (v !== null) items.push({ c: c, k: k, v: v, label: short + ' \u00b7 ' + k.name });
        });
      });
      panels.cases.noteEl.textContent = cases.length + ' cases \u00b7 ' + items.length + ' KPIs with a relative change, % (before \u2192 after, or as reported); not filtered';
      if (!items.length) { setPanel('cases', 'ready', 'No KPI with a known change.', 0); return; }
      var models = CASE_MODELS.filter(function (m) { return items.some(function (it) { return it.c.model === m; }); });
      cases.forEach(function (c) { if (models.indexOf(c.model) < 0) models.push(c.model); });
      var series = models.map(function (m) {
        return {
          name: humanize(m), type: 'bar', stack: 'uplift', color: CASE_COLORS[m], barMaxWidth: 14,
          label: { show: true, position: 'right', fontSize: 10, color: '#59636e', formatter: function (p) { return p.value === null ? '' : pct(p.value, 0); } },
          data: items.map(function (it) { return it.c.model === m ? it.v : null; }),
        };
      });
      draw('cases', baseOption({
        grid: { left: 8, right: 48, top: 36, bottom: X_NAMED_GRID_BOTTOM, containLabel: true },
        tooltip: {
          trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
          formatter: function (params) {
            var it = items[params[0].dataIndex];
            return '<b>' + escapeHtml(it.c.titleEn) + '</b> (' + it.c.year + ', ' + escapeHtml(humanize(it.c.model)) + ')<br>' +
              escapeHtml(it.k.name) + ': <b>' + escapeHtml(pct(it.v, 1)) + '</b> (unit ' + escapeHtml(it.k.unit) + ')';
          },
        },
        xAxis: xNamed({ type: 'value', axisLabel: { formatter: function (v) { return v + '%'; } } }, 'Relative change (%)'),
        yAxis: { type: 'category', inverse: true, data: items.map(function (it) { return it.label; }), axisLabel: { fontSize: 11, width: 380, overflow: 'truncate' } },
        series: series,
      }), items.length, '', Math.max(320, 90 + items.length * 20));
    });
  }

  var LOADERS = { gmv: loadGmv, tiers: loadTiers, evolution: loadEvolution, alerts: loadAlerts, settlements: loadSettlements, cases: loadCases };

  // ---- filters ----
  var filtersReady = false;
  function initFilters(latest) {
    var params = new URLSearchParams(location.search);
    var to = parseMonth(params.get('to'));
    if (to === null) to = latest;
    var from = parseMonth(params.get('from'));
    if (from === null || from > to) from = to - 23;
    fromInput.value = monthStr(from);
    toInput.value = monthStr(to);
    var category = params.get('category') || '';
    categorySelect.value = (config.categories || []).indexOf(category) >= 0 ? category : '';
    filtersReady = true;
  }
  function readFilters() {
    var from = parseMonth(fromInput.value), to = parseMonth(toInput.value);
    if (from === null || to === null) return { error: 'Choose a from and a to month.' };
    if (from > to) return { error: '\u201cFrom\u201d must not be after \u201cTo\u201d.' };
    if (to - from > 119) return { error: 'Choose at most ten years.' };
    var category = categorySelect.value || '';
    return {
      fromIndex: from, toIndex: to, category: category,
      fromDate: monthStr(from) + '-01', toDate: monthStr(to + 1) + '-01', monthDate: monthStr(to) + '-01',
      quarter: quarterOf(to), where: category ? { categories: [category] } : null,
      rangeLabel: monthStr(from) + ' to ' + monthStr(to) + ' (' + (to - from + 1) + ' months)',
    };
  }
  function rememberFilters(f) {
    var params = new URLSearchParams();
    params.set('from', monthStr(f.fromIndex));
    params.set('to', monthStr(f.toIndex));
    if (f.category) params.set('category', f.category);
    try { history.replaceState(null, '', location.pathname + '?' + params.toString()); } catch (e) { /* not allowed here */ }
  }

  // ---- loading ----
  var generation = 0;
  function runPanel(gen, id, f) {
    setPanel(id, 'loading', 'Loading\u2026', 0);
    return LOADERS[id](f).catch(function (err) {
      if (gen !== generation) return;
      if (err && err.kind === 'auth') throw err;
      if (err && err.kind === 'schema') {
        setPanel(id, 'unavailable', 'Not available: this server\u2019s API does not offer the data for this panel (' + err.message + ').', 0);
      } else {
        setPanel(id, 'error', 'Could not load: ' + (err && err.message ? err.message : String(err)), 0);
        if (!(err instanceof DashError) && window.console) console.error(err);
      }
    });
  }
  function load() {
    var gen = ++generation;
    if (!apiKey) {
      resetPanels('idle', 'Paste a key above to load.');
      body.setAttribute('data-dashboard', 'idle');
      statusEl.textContent = '';
      return;
    }
    var started = performance.now();
    body.setAttribute('data-dashboard', 'loading');
    statusEl.textContent = 'Loading\u2026';
    gql(Q_BOOT).then(function (data) {
      if (gen !== generation) return;
      clearKeyError();
      var node = data.settlements && data.settlements.nodes[0];
      var latest = node ? parseMonth(String(node.month).slice(0, 7)) : null;
      if (!filtersReady) initFilters(latest === null ? previousMonthIndex() : latest);
      var f = readFilters();
      if (f.error) {
        resetPanels('idle', f.error);
        statusEl.textContent = f.error;
        body.setAttribute('data-dashboard', 'idle');
        return;
      }
      rememberFilters(f);
      return Promise.all(Object.keys(LOADERS).map(function (id) { return runPanel(gen, id, f); })).then(function () {
        if (gen !== generation) return;
        var ms = Math.round(performance.now() - started);
        body.setAttribute('data-dashboard', 'ready');
        body.setAttribute('data-load-ms', String(ms));
        statusEl.textContent = 'Loaded in ' + (ms / 1000).toFixed(2) + ' s';
      });
    }).catch(function (err) {
      if (gen !== generation) return;
      generation++; // late answers of this load are ignored
      statusEl.textContent = '';
      if (err && err.kind === 'auth') {
        showKeyError('The key was refused: ' + err.message);
        resetPanels('idle', 'No data: the key was refused.');
        body.setAttribute('data-dashboard', 'auth-error');
      } else if (err && err.kind === 'schema') {
        showKeyError(ROLE_MESSAGE);
        resetPanels('idle', 'No data: this key\u2019s role cannot see the dashboard.');
        body.setAttribute('data-dashboard', 'role-error');
      } else {
        var text = err && err.message ? err.message : String(err);
        statusEl.textContent = 'Could not load: ' + text;
        resetPanels('error', 'Could not load: ' + text);
        body.setAttribute('data-dashboard', 'error');
        if (!(err instanceof DashError) && window.console) console.error(err);
      }
    });
  }

  // ---- events ----
  keyForm.addEventListener('submit', function (event) {
    event.preventDefault();
    apiKey = normaliseKey(keyInput.value);
    keyInput.value = apiKey;
    writeKey(apiKey);
    clearKeyError();
    load();
  });
  keyInput.addEventListener('input', function () { clearKeyError(); });
  keyToggle.addEventListener('click', function () {
    var show = keyInput.type === 'password';
    keyInput.type = show ? 'text' : 'password';
    keyToggle.textContent = show ? 'Hide' : 'Show';
    keyToggle.setAttribute('aria-pressed', String(show));
  });
  filterForm.addEventListener('submit', function (event) { event.preventDefault(); load(); });
  categorySelect.addEventListener('change', function () { if (filtersReady) load(); });

  load();
})();
`;
