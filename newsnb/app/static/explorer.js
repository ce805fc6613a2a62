// The newsnb Explorer's front end (an anywidget ES module, no build step).
//
// Python sends the state to draw as traits (meta, status, facets, controls,
// table, charts, inspector) and this module renders them; what the analyst
// does goes back as intents through model.send({type: ...}), which Python
// turns into a new state.  Nothing here filters or counts: the browser only
// ever holds one page of rows and the aggregates.
//
// Record text is set with textContent; the only HTML inserted is the
// inspector's card, which newsnb.render escaped on the Python side.
// `newsnbPlotly()` is defined by the loader that view.py puts before this file.

let Plotly = null; // plotly.js
// evaluate plotly.js as soon as this module has loaded, in a task of its own (so the module
// initialises at once), while the kernel is still computing the first payload
setTimeout(() => {
  Plotly = Plotly || newsnbPlotly();
}, 0);

const WIDE_TABLE = 620; // px: below this the table leaves out its topics column (the card shows them)

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function debounce(fn, ms) {
  let timer = null;
  const run = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  run.flush = (...args) => {
    clearTimeout(timer);
    timer = null;
    fn(...args);
  };
  return run;
}

function number(value) {
  if (value === "" || value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function fmt(n) {
  return Number(n).toLocaleString("en-US");
}

// Set an input's value unless the analyst is typing in it.
function setValue(input, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (document.activeElement !== input && input.value !== text) input.value = text;
}

// -- one plotly chart that fits its box -----------------------------------------------------

class Chart {
  constructor(app, name, box) {
    this.app = app;
    this.name = name;
    this.box = box;
    this.plot = box.querySelector(".nx-plot");
    this.spec = null;
    this.version = -1;
    this.drawn = -1;
    this.width = 0;
    this.reacting = false;
    this.bound = false;
    this.observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0].contentRect.width);
      if (width > 0 && Math.abs(width - this.width) >= 2) {
        this.width = width;
        this.draw();
      }
    });
    this.observer.observe(this.plot);
  }

  set(spec, version) {
    this.spec = spec;
    this.version = version;
    const head = this.box.querySelector(".nx-chart-title");
    head.textContent = spec.title || "";
    this.box.querySelector(".nx-chart-subtitle").textContent = spec.subtitle || "";
    this.box.dataset.names = JSON.stringify(spec.names || []);
    this.width = Math.floor(this.plot.getBoundingClientRect().width);
    this.draw();
  }

  // One drawing at a time: a request made while drawing is served once, after it.
  draw() {
    if (this.drawing) {
      this.again = true;
      return this.drawing;
    }
    this.drawing = (async () => {
      try {
        do {
          this.again = false;
          await this.drawNow();
        } while (this.again);
      } finally {
        this.drawing = null;
      }
    })();
    return this.drawing;
  }

  async drawNow() {
    // never draw into a box without width: plotly would fall back to 700 px
    if (!this.spec || this.width <= 0) return;
    const { data, layout } = this.spec.figure;
    const ink = getComputedStyle(this.box).color;
    const full = {
      ...layout,
      template: this.app.meta.template,
      width: this.width,
      font: { ...(layout.font || {}), color: ink, family: getComputedStyle(this.box).fontFamily },
    };
    if (this.fitted && this.fitted.spec === this.spec && this.fitted.width === this.width) {
      full.xaxis = { ...(full.xaxis || {}), range: this.fitted.range };
    }
    const version = this.version;
    this.reacting = true;
    this.box.dataset.state = "drawing";
    try {
      await Plotly.react(this.plot, data, full, {
        displayModeBar: false,
        displaylogo: false,
        responsive: false,
        doubleClick: false,
        scrollZoom: false,
      });
    } finally {
      // plotly may emit selection events while it redraws: they are not the analyst's
      setTimeout(() => {
        this.reacting = false;
      }, 0);
    }
    if (this.spec.xmax) await this.makeRoomForLabels();
    this.bind();
    if (version === this.version) {
      this.drawn = version;
      this.box.dataset.version = String(version);
      this.box.dataset.state = this.spec.empty ? "empty" : "drawn";
      this.app.chartDrawn();
    }
  }

  // Bars are labelled outside their end ("12.5%"): the axis must reach far enough for the
  // longest bar's label to stay inside the plot, which depends on the width drawn.
  async makeRoomForLabels() {
    const size = this.plot._fullLayout && this.plot._fullLayout._size;
    const labels = [...this.plot.querySelectorAll(".bartext")];
    if (!size || !labels.length) return;
    const svg = this.plot.querySelector("svg.main-svg").getBoundingClientRect();
    const widest = Math.max(...labels.map((t) => t.getBoundingClientRect().width));
    const room = size.w - widest - 8;
    if (widest <= 0 || room <= 20) return; // not laid out yet: keep the range it has
    const wanted = (this.spec.xmax * size.w) / room;
    const current = this.plot._fullLayout.xaxis.range[1];
    const over = Math.max(...labels.map((t) => t.getBoundingClientRect().right)) > svg.right - 2;
    if (over || wanted > current * 1.02 || wanted < current * 0.9) {
      this.reacting = true;
      try {
        await Plotly.relayout(this.plot, { "xaxis.range": [0, wanted] });
        this.fitted = { spec: this.spec, width: this.width, range: [0, wanted] };
      } finally {
        setTimeout(() => {
          this.reacting = false;
        }, 0);
      }
    }
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    const gd = this.plot;
    if (this.name === "timeline") {
      // a brush is sent once, when the mouse is released (plotly_selected), never while
      // plotly redraws what Python sent back (the feedback loop of the old Explorer)
      gd.on("plotly_selected", (event) => {
        if (this.reacting || !event || !event.range || !event.range.x) return;
        const [a, b] = event.range.x;
        this.app.send({ type: "brush", start: String(a), end: String(b) });
      });
      gd.on("plotly_deselect", () => {
        if (!this.reacting) this.app.send({ type: "dates", clear: true });
      });
      gd.on("plotly_doubleclick", () => this.app.send({ type: "dates", clear: true }));
    } else {
      gd.on("plotly_click", (event) => {
        const point = event && event.points && event.points[0];
        if (!point || !this.spec) return;
        const i = point.pointIndex ?? point.pointNumber;
        if (this.spec.clickable && this.spec.clickable[i]) {
          this.app.send({ type: "toggle", facet: this.name, name: this.spec.names[i] });
        }
      });
    }
  }

  destroy() {
    this.observer.disconnect();
    try {
      Plotly.purge(this.plot);
    } catch (e) {
      /* already gone */
    }
  }
}

// -- the app --------------------------------------------------------------------------------

class Explorer {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.meta = model.get("meta") || {};
    this.uid = Math.random().toString(36).slice(2); // names this Explorer's radio group
    this.widths = null;
    this.pendingRow = null;
    this.build();
    this.listeners = [];
    // the theme changed (JupyterLab sets these on <body>): redraw in the new ink colour
    // (its style sheet may apply a moment after the attributes change, so once more later)
    const redraw = () => {
      for (const chart of Object.values(this.charts)) chart.draw();
    };
    this.themeObserver = new MutationObserver(() => {
      redraw();
      clearTimeout(this.themeTimer);
      this.themeTimer = setTimeout(redraw, 400);
    });
    this.themeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-jp-theme-name", "data-jp-theme-light", "class"],
    });
    for (const name of ["status", "facets", "controls", "table", "charts", "inspector", "terms"]) {
      const handler = () => this.update(name);
      model.on(`change:${name}`, handler);
      this.listeners.push([`change:${name}`, handler]);
      this.update(name);
    }
  }

  send(message) {
    this.model.send(message);
  }

  destroy() {
    for (const [event, handler] of this.listeners) this.model.off(event, handler);
    for (const chart of Object.values(this.charts)) chart.destroy();
    this.tableObserver.disconnect();
    this.themeObserver.disconnect();
    window.removeEventListener("keydown", this.keyListener, true);
  }

  // -- building the page --------------------------------------------------------------------

  build() {
    const meta = this.meta;
    // keys pressed in the Explorer are its own (arrow keys move the row, letters are typed),
    // not the notebook's shortcuts: Lumino stops looking for a binding at this attribute
    this.root = h("div", { class: "newsnb-explorer nx", tabindex: -1, "data-lm-suppress-shortcuts": "true" });
    this.status = h("div", { class: "nx-status newsnb-count", role: "status", "aria-live": "polite" });
    this.notice = h("div", { class: "nx-notice newsnb-notice" });
    const clear = h("button", {
      class: "nx-button newsnb-clear",
      type: "button",
      text: "Clear filters",
      onclick: () => this.send({ type: "clear" }),
    });
    const exporter = (format, label) =>
      h("button", {
        class: `nx-button newsnb-export newsnb-export-${format}`,
        type: "button",
        text: label,
        title: `Write the selection, in the table's order, to a ${label.split(" ")[1]} file in the notebook's folder`,
        onclick: () => this.send({ type: "export", format }),
      });
    this.clearButton = clear;
    const top = h(
      "div",
      { class: "nx-top" },
      this.status,
      h("div", { class: "nx-actions" }, clear, exporter("csv", "Export CSV"), exporter("parquet", "Export Parquet")),
    );

    // filters
    this.search = h("input", {
      class: "nx-input newsnb-search",
      type: "search",
      placeholder: 'words, "exact phrase"',
      "aria-label": "Search title and excerpt",
    });
    const sendText = debounce(
      () => this.send({ type: "criteria", changes: { text: this.search.value } }),
      meta.debounce_ms ?? 300,
    );
    this.search.addEventListener("input", () => sendText());
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") sendText.flush();
    });
    this.start = h("input", { class: "nx-input newsnb-start", type: "date", "aria-label": "From" });
    this.end = h("input", { class: "nx-input newsnb-end", type: "date", "aria-label": "To" });
    if (meta.first) {
      for (const input of [this.start, this.end]) {
        input.min = meta.first;
        input.max = meta.last;
      }
    }
    this.start.addEventListener("change", () => this.send({ type: "criteria", changes: { start: this.start.value || null } }));
    this.end.addEventListener("change", () => this.send({ type: "criteria", changes: { end: this.end.value || null } }));
    const clearDates = h("button", {
      class: "nx-link newsnb-clear-dates",
      type: "button",
      text: "any date",
      onclick: () => this.send({ type: "dates", clear: true }),
    });

    this.modeButtons = ["any", "all"].map((mode) =>
      h("button", {
        class: `nx-seg newsnb-topic-mode-${mode}`,
        type: "button",
        text: `${mode} of`,
        title: mode === "any" ? "records with at least one of the topics" : "records with every topic",
        onclick: () => this.send({ type: "criteria", changes: { topic_mode: mode } }),
      }),
    );
    this.lists = {
      topics: h("div", { class: "nx-choices newsnb-topics", role: "group", "aria-label": "Topics" }),
      providers: h("div", { class: "nx-choices newsnb-providers", role: "group", "aria-label": "Providers" }),
      types: h("div", { class: "nx-choices newsnb-type", role: "group", "aria-label": "Type" }),
    };
    this.more = { topics: h("div", { class: "nx-more" }), providers: h("div", { class: "nx-more" }), types: h("div", { class: "nx-more" }) };
    this.providerSearch = h("input", {
      class: "nx-input newsnb-provider-search",
      type: "search",
      placeholder: "find a provider",
      "aria-label": "Find a provider",
    });
    const sendQuery = debounce(() => this.send({ type: "provider_query", text: this.providerSearch.value }), 200);
    this.providerSearch.addEventListener("input", () => sendQuery());
    this.published = h("div", { class: "nx-choices newsnb-published", role: "radiogroup", "aria-label": "Published" });

    const scoreInputs = (name) => {
      const span = meta[name] || [null, null];
      const make = (side, bound) =>
        h("input", {
          class: `nx-input nx-score newsnb-${name}-${side}`,
          type: "number",
          step: "any",
          placeholder: bound === null ? side : String(bound),
          "aria-label": `${name} ${side}`,
        });
      const lo = make("from", span[0]);
      const hi = make("to", span[1]);
      const changed = () => this.send({ type: "criteria", changes: { [name]: [number(lo.value), number(hi.value)] } });
      lo.addEventListener("change", changed);
      hi.addEventListener("change", changed);
      return [lo, hi];
    };
    this.quality = scoreInputs("quality");
    this.heat = scoreInputs("heat");
    this.unscored = h("input", { class: "newsnb-unscored", type: "checkbox" });
    this.unscored.addEventListener("change", () =>
      this.send({ type: "criteria", changes: { include_unscored: this.unscored.checked } }),
    );
    this.unscoredLabel = h("span", { class: "nx-unscored-label", text: "include records without a score" });

    const section = (title, ...children) =>
      h("section", { class: "nx-section" }, h("h4", { class: "nx-heading", text: title }), ...children);
    const filters = h(
      "aside",
      { class: "nx-filters newsnb-filters" },
      section("Search title and excerpt", this.search),
      section(
        "Dates",
        h("div", { class: "nx-muted nx-small", text: meta.first ? `records ${meta.first} – ${meta.last}` : "no dates" }),
        h("div", { class: "nx-dates" }, this.start, h("span", { class: "nx-muted", text: "to" }), this.end),
        clearDates,
      ),
      section("Topics", h("div", { class: "nx-segmented newsnb-topic-mode" }, ...this.modeButtons), this.lists.topics, this.more.topics),
      section("Providers", this.providerSearch, this.lists.providers, this.more.providers),
      section("Type", this.lists.types),
      section("Published", this.published),
      section(
        "Scores",
        h("div", { class: "nx-scores" }, h("span", { class: "nx-score-name", text: "quality" }), ...this.quality),
        h("div", { class: "nx-scores" }, h("span", { class: "nx-score-name", text: "heat" }), ...this.heat),
        h("label", { class: "nx-check newsnb-unscored-toggle" }, this.unscored, this.unscoredLabel),
      ),
    );

    // charts
    const chartBox = (name, cls) =>
      h(
        "figure",
        { class: `nx-chart ${cls}`, "data-chart": name, "data-version": "-1" },
        h("figcaption", { class: "nx-chart-head" },
          h("div", { class: "nx-chart-titles" },
            h("div", { class: "nx-chart-title" }),
            h("div", { class: "nx-chart-subtitle nx-muted nx-small" })),
          name === "timeline" ? this.periodSelect() : null),
        h("div", { class: "nx-plot" }),
      );
    const timeline = chartBox("timeline", "newsnb-timeline");
    const topics = chartBox("topics", "newsnb-topics-chart nx-chart-bars");
    const providers = chartBox("providers", "newsnb-providers-chart nx-chart-bars");
    this.charts = {
      timeline: new Chart(this, "timeline", timeline),
      topics: new Chart(this, "topics", topics),
      providers: new Chart(this, "providers", providers),
    };

    // table
    this.colgroup = h("colgroup");
    this.thead = h("tr");
    this.tbody = h("tbody");
    this.table = h("table", { class: "nx-grid" }, this.colgroup, h("thead", {}, this.thead), this.tbody);
    this.tableBox = h(
      "div",
      { class: "nx-table-box", tabindex: 0, role: "grid", "aria-label": "Matching records: arrow keys move the selection" },
      this.table,
    );
    // Hosts bind the arrow keys themselves (Notebook 7 moves between cells, on a listener
    // that runs before the table's own): take the table's keys first, at the window.
    this.keyListener = (e) => {
      if (this.tableBox.contains(e.target) && this.onKey(e)) e.stopPropagation();
    };
    window.addEventListener("keydown", this.keyListener, true);
    this.prev = h("button", { class: "nx-button nx-page newsnb-prev", type: "button", text: "‹", "aria-label": "Previous page" });
    this.next = h("button", { class: "nx-button nx-page newsnb-next", type: "button", text: "›", "aria-label": "Next page" });
    this.range = h("span", { class: "nx-range newsnb-range" });
    this.prev.addEventListener("click", () => this.send({ type: "page", page: this.tableState.page - 1 }));
    this.next.addEventListener("click", () => this.send({ type: "page", page: this.tableState.page + 1 }));
    const pager = h("div", { class: "nx-pager newsnb-pager" }, this.prev, this.range, this.next);
    this.narrow = false;
    this.tableObserver = new ResizeObserver((entries) => {
      const width = entries[0].contentRect.width;
      if (width <= 0) return;
      const narrow = width < WIDE_TABLE;
      if (narrow !== this.narrow || !this.headerBuilt) {
        this.narrow = narrow;
        this.headerBuilt = true;
        this.buildHeader();
        if (this.tableState) this.renderTable(this.tableState);
      }
    });
    this.tableObserver.observe(this.tableBox);
    this.buildHeader();
    const tableSection = h("section", { class: "nx-table newsnb-table" }, this.tableBox, pager);

    // inspector
    this.back = h("button", { class: "nx-button newsnb-back", type: "button", text: "‹ Back", onclick: () => this.send({ type: "back" }) });
    this.rawToggle = h("button", {
      class: "nx-button newsnb-raw-toggle",
      type: "button",
      text: "Show all fields",
      "aria-pressed": "false",
      onclick: () => this.send({ type: "raw" }),
    });
    this.card = h("div", { class: "nx-card newsnb-card-html" });
    this.raw = h("div", { class: "nx-raw newsnb-raw-fields" });
    this.card.addEventListener("click", (e) => {
      const target = e.target.closest("[data-article-id]");
      if (target && this.card.contains(target)) {
        e.preventDefault();
        this.send({ type: "inspect", id: target.getAttribute("data-article-id") });
      }
    });
    this.inspector = h(
      "section",
      { class: "nx-inspector newsnb-inspector" },
      h("div", { class: "nx-toolbar" }, this.back, this.rawToggle),
      this.card,
      this.raw,
    );

    const main = h(
      "div",
      { class: "nx-main" },
      h("div", { class: "nx-charts newsnb-charts" }, timeline, h("div", { class: "nx-bars" }, topics, providers)),
      h("div", { class: "nx-lower" }, tableSection, this.inspector),
      this.termsBox(),
    );
    this.root.append(top, this.notice, h("div", { class: "nx-body" }, filters, main));
    this.el.append(this.root);
  }

  termsBox() {
    // the selection's distinctive terms (weighted log-odds against the rest of the corpus)
    this.termsTitle = h("div", { class: "nx-chart-title", text: "Distinctive terms of this selection" });
    this.termsNote = h("div", { class: "nx-chart-subtitle nx-muted nx-small" });
    this.termsList = h("ol", { class: "nx-terms-list" });
    this.termsToggle = h("button", {
      class: "nx-button newsnb-terms-toggle",
      type: "button",
      text: "Show",
      "aria-pressed": "false",
      onclick: () => this.send({ type: "terms" }),
    });
    this.terms = h(
      "section",
      { class: "nx-terms newsnb-terms", "data-version": "-1", "aria-label": "Distinctive terms of this selection" },
      h("div", { class: "nx-chart-head" }, h("div", { class: "nx-chart-titles" }, this.termsTitle, this.termsNote), this.termsToggle),
      this.termsList,
    );
    return this.terms;
  }

  renderTerms(s) {
    this.termsToggle.textContent = s.on ? "Hide" : "Show";
    this.termsToggle.setAttribute("aria-pressed", s.on ? "true" : "false");
    this.termsNote.textContent = s.message || s.note || "";
    const top = s.rows.length ? Math.max(...s.rows.map((r) => r.z)) : 1;
    this.termsList.replaceChildren(
      ...s.rows.map((r) =>
        h(
          "li",
          { class: "nx-term", "data-term": r.term, title: `${r.term}: used ${fmt(r.count)} times here (${(100 * r.rate).toFixed(2)}% of the selection's terms), z ${r.z.toFixed(1)}` },
          h("span", { class: "nx-term-bar", style: `width: ${Math.max(4, (100 * r.z) / top).toFixed(1)}%` }),
          h("span", { class: "nx-term-text", text: r.term }),
          h("span", { class: "nx-term-z nx-muted nx-small", text: `z ${r.z.toFixed(1)} · ${fmt(r.count)}×` }),
        ),
      ),
    );
    this.terms.dataset.version = String(s.version);
  }

  periodSelect() {
    this.period = h("select", { class: "nx-select newsnb-period", "aria-label": "Bars per" });
    for (const [value, label] of this.meta.periods) {
      this.period.append(h("option", { value, text: value === "auto" ? "auto" : `per ${label}` }));
    }
    this.period.addEventListener("change", () => this.send({ type: "period", value: this.period.value }));
    return this.period;
  }

  shownColumns() {
    return this.meta.columns.filter((c) => !(this.narrow && c.key === "topics"));
  }

  buildHeader() {
    const columns = this.shownColumns();
    // px for the short columns, the rest shared out; kept as percentages so they follow the box
    const total = Math.max(this.tableBox.getBoundingClientRect().width, 300);
    const fixed = { date: 90, quality: 78 };
    const share = { title: 48, provider: 22, topics: 30 };
    const left = total - columns.reduce((sum, c) => sum + (fixed[c.key] || 0), 0);
    const shares = columns.reduce((sum, c) => sum + (share[c.key] || 0), 0) || 1;
    this.widths = columns.map((c) =>
      fixed[c.key] ? (100 * fixed[c.key]) / total : (100 * (left * (share[c.key] || 0))) / shares / total,
    );
    this.colgroup.replaceChildren(...columns.map(() => h("col")));
    this.applyWidths();
    this.thead.replaceChildren(
      ...columns.map((column, i) => {
        const handle = h("span", { class: "nx-resize", title: "Drag to resize", "aria-hidden": "true" });
        handle.addEventListener("pointerdown", (e) => this.startResize(e, i));
        handle.addEventListener("click", (e) => e.stopPropagation());
        const th = h(
          "th",
          { scope: "col", "data-sort": column.sort, class: `nx-col-${column.key}`, title: `Sort by ${column.label.toLowerCase()}` },
          h("span", { class: "nx-th-label", text: column.label }),
          h("span", { class: "nx-sort-mark" }),
          handle,
        );
        th.addEventListener("click", () => this.send({ type: "sort", column: column.sort }));
        return th;
      }),
    );
  }

  applyWidths() {
    [...this.colgroup.children].forEach((col, i) => {
      col.style.width = `${this.widths[i]}%`;
    });
  }

  startResize(event, i) {
    event.preventDefault();
    event.stopPropagation();
    const total = this.table.getBoundingClientRect().width;
    const startX = event.clientX;
    const start = [...this.widths];
    const neighbour = i + 1 < start.length ? i + 1 : i - 1;
    const move = (e) => {
      const delta = ((e.clientX - startX) / total) * 100 * (neighbour > i ? 1 : -1);
      const min = 5;
      const a = Math.max(min, Math.min(start[i] + start[neighbour] - min, start[i] + delta));
      this.widths[i] = a;
      this.widths[neighbour] = start[i] + start[neighbour] - a;
      this.applyWidths();
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  // -- rendering the traits -----------------------------------------------------------------

  update(name) {
    const value = this.model.get(name);
    // the widget is made before Python sets its parts: an empty part is not drawn yet
    if (!value || value.version === undefined) return;
    if (name === "status") this.renderStatus(value);
    else if (name === "facets") this.renderFacets(value);
    else if (name === "controls") this.renderControls(value);
    else if (name === "table") this.renderTable(value);
    else if (name === "charts") this.renderCharts(value);
    else if (name === "inspector") this.renderInspector(value);
    else if (name === "terms") this.renderTerms(value);
  }

  renderStatus(s) {
    const count = h("b", { class: "nx-count", text: fmt(s.matching) });
    const rest = s.phrases.length ? h("span", { class: "nx-muted", text: " · " + s.phrases.join(" · ") }) : null;
    this.status.replaceChildren(count, ` of ${fmt(s.total)} records`, rest || "");
    this.status.dataset.version = String(s.version);
    this.notice.textContent = s.notice || "";
    this.notice.hidden = !s.notice;
    this.clearButton.disabled = !!s.empty;
  }

  renderChoices(list, facet, choices, radio = false) {
    const items = choices.items.map((item) => {
      const input = h("input", { type: "checkbox", checked: item.selected });
      input.addEventListener("change", () => this.send({ type: "toggle", facet, name: item.name }));
      return h(
        "label",
        { class: `nx-choice${item.selected ? " nx-on" : ""}${item.count === 0 ? " nx-zero" : ""}`, title: item.name, "data-name": item.name },
        input,
        h("span", { class: "nx-name", text: item.name }),
        h("span", { class: "nx-n", text: fmt(item.count) }),
      );
    });
    list.replaceChildren(...items);
    if (!items.length) list.append(h("div", { class: "nx-muted nx-small", text: "none" }));
    const more = this.more[facet];
    if (more) {
      more.textContent = choices.more
        ? `${fmt(choices.more)} more${facet === "providers" ? ": type to find them" : ""}`
        : "";
    }
  }

  renderFacets(f) {
    this.renderChoices(this.lists.topics, "topics", f.topics);
    this.renderChoices(this.lists.providers, "providers", f.providers);
    this.renderChoices(this.lists.types, "types", f.types);
    for (const button of this.modeButtons) {
      const on = button.classList.contains(`newsnb-topic-mode-${f.topics.mode}`);
      button.classList.toggle("nx-on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    const options = [
      ["any", null, null],
      ["published", true, f.published.yes],
      ["unpublished", false, f.published.no],
    ];
    this.published.replaceChildren(
      ...options.map(([label, value, count]) => {
        const input = h("input", { type: "radio", name: `nx-published-${this.uid}`, checked: f.published.value === value });
        input.addEventListener("change", () => this.send({ type: "criteria", changes: { published: value } }));
        return h(
          "label",
          { class: `nx-choice${f.published.value === value ? " nx-on" : ""}${count === 0 ? " nx-zero" : ""}`, "data-name": label },
          input,
          h("span", { class: "nx-name", text: label }),
          h("span", { class: "nx-n", text: count === null ? "" : fmt(count) }),
        );
      }),
    );
    const q = f.quality.unscored;
    const heat = f.heat.unscored;
    const parts = [];
    if (q) parts.push(`${fmt(q)} without quality`);
    if (heat) parts.push(`${fmt(heat)} without heat`);
    this.unscoredLabel.textContent = `include records without a score${parts.length ? ` (${parts.join(", ")})` : ""}`;
  }

  renderControls(c) {
    setValue(this.search, c.text);
    setValue(this.providerSearch, c.provider_query);
    setValue(this.start, c.start);
    setValue(this.end, c.end);
    setValue(this.quality[0], c.quality[0]);
    setValue(this.quality[1], c.quality[1]);
    setValue(this.heat[0], c.heat[0]);
    setValue(this.heat[1], c.heat[1]);
    this.unscored.checked = c.include_unscored;
    const ranged = c.quality[0] !== null || c.quality[1] !== null || c.heat[0] !== null || c.heat[1] !== null;
    this.unscored.disabled = !ranged;
    this.unscored.title = ranged ? "" : "applies when a quality or heat range is set";
    if (this.period) this.period.value = c.period;
    this.root.dataset.criteria = JSON.stringify(c.criteria);
  }

  renderTable(t) {
    this.tableState = t;
    for (const th of this.thead.children) {
      const on = th.dataset.sort === t.sort;
      th.classList.toggle("nx-sorted", on);
      th.setAttribute("aria-sort", on ? (t.descending ? "descending" : "ascending") : "none");
      th.querySelector(".nx-sort-mark").textContent = on ? (t.descending ? " ▼" : " ▲") : "";
    }
    const shown = new Set(this.shownColumns().map((c) => c.key));
    const rows = t.rows.map((row) => {
      const cells = row.cells.map((text, i) => [text, this.meta.columns[i].key]).filter(([, key]) => shown.has(key)).map(([text, key]) => {
        const td = h("td", { class: `nx-col-${key}` });
        const inner = h("div", { class: key === "title" ? "nx-clamp" : "nx-cell", text });
        if (text) td.title = text;
        td.append(inner);
        if (key === "title" && row.snippet) {
          // the search's match in context: record text escaped on the Python side, then <mark>
          const snippet = h("div", { class: "nx-snippet newsnb-snippet" });
          snippet.innerHTML = row.snippet;
          td.append(snippet);
        }
        return td;
      });
      const tr = h("tr", { "data-row": row.row, "data-id": row.id, "aria-selected": row.row === t.selected ? "true" : "false" }, ...cells);
      if (row.row === t.selected) tr.classList.add("nx-selected");
      tr.addEventListener("click", () => {
        this.highlight(row.row);
        this.send({ type: "row", row: row.row });
      });
      return tr;
    });
    this.tbody.replaceChildren(...rows);
    if (!rows.length) {
      this.tbody.append(h("tr", { class: "nx-empty-row" }, h("td", { colspan: shown.size, text: "No record matches these filters." })));
    }
    const last = t.first + t.rows.length;
    this.range.textContent = t.total ? `${fmt(t.first + 1)}–${fmt(last)} of ${fmt(t.total)}` : "0 of 0";
    this.prev.disabled = t.page <= 0;
    this.next.disabled = t.page >= t.pages - 1;
    this.tableBox.dataset.version = String(t.version);
  }

  highlight(row) {
    for (const tr of this.tbody.children) {
      const on = Number(tr.dataset.row) === row;
      tr.classList.toggle("nx-selected", on);
      tr.setAttribute("aria-selected", on ? "true" : "false");
      if (on) tr.scrollIntoView({ block: "nearest" });
    }
  }

  onKey(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const delta = e.key === "ArrowDown" ? 1 : -1;
      const t = this.tableState;
      if (t && t.selected !== null && t.selected !== undefined) {
        // move the highlight at once when the row is on this page; Python confirms
        const next = t.selected + delta;
        if (next >= t.first && next < t.first + t.rows.length) {
          t.selected = next;
          this.highlight(next);
        }
      }
      this.send({ type: "move", delta });
      return true;
    }
    if (e.key === "PageDown" || e.key === "PageUp") {
      e.preventDefault();
      this.send({ type: "page", page: this.tableState.page + (e.key === "PageDown" ? 1 : -1) });
      return true;
    }
    return false;
  }

  renderCharts(c) {
    this.chartVersion = c.version;
    if (this.period && c.freq) {
      const names = Object.fromEntries(this.meta.periods);
      this.period.options[0].textContent = `auto (per ${names[c.freq]})`;
    }
    for (const [name, chart] of Object.entries(this.charts)) {
      if (c[name]) chart.set(JSON.parse(c[name]), c.version);
    }
  }

  chartDrawn() {
    const settled = Object.values(this.charts).every((chart) => chart.drawn === this.chartVersion);
    if (settled) {
      if (this.root.dataset.charts === undefined) performance.mark("newsnb:drawn");
      this.root.dataset.charts = String(this.chartVersion);
    }
  }

  renderInspector(s) {
    this.back.disabled = !s.back;
    this.rawToggle.disabled = !s.id;
    this.rawToggle.textContent = s.raw ? "Hide fields" : "Show all fields";
    this.rawToggle.setAttribute("aria-pressed", s.raw ? "true" : "false");
    if (s.id) {
      // escaped by newsnb.render on the Python side
      this.card.innerHTML = s.html;
      this.card.dataset.id = s.id;
    } else {
      this.card.replaceChildren(h("div", { class: "nx-muted nx-placeholder", text: "Select a row of the table (↑ ↓ move through them) to read the record here." }));
      delete this.card.dataset.id;
    }
    this.raw.innerHTML = s.raw_html || "";
    this.raw.hidden = !s.raw_html;
    this.inspector.dataset.version = String(s.version);
  }
}

export default {
  render({ model, el }) {
    // marks in the page's performance timeline, read by benchmarks/explorer_browser.py
    performance.mark("newsnb:render");
    Plotly = Plotly || newsnbPlotly();
    performance.mark("newsnb:plotly");
    const app = new Explorer(model, el);
    return () => app.destroy();
  },
};
