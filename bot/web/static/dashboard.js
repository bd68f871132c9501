// CX Coach dashboard (a Telegram Mini App). Reads the launch's initData and theme from the
// URL fragment Telegram passes (#tgWebAppData=...&tgWebAppThemeParams=...), or from
// window.Telegram.WebApp when present; sends initData with every request
// ("Authorization: tma <initData>"); inserts the HTML the server rendered (in the viewer's
// language, escaped there) and draws its charts with the vendored Chart.js.
(function () {
  "use strict";
  var fragment = new URLSearchParams(window.location.hash.slice(1));
  var tg = window.Telegram && window.Telegram.WebApp;
  var initData = fragment.get("tgWebAppData") || (tg && tg.initData) || "";
  var app = document.getElementById("app");
  var nav = document.getElementById("nav");
  var charts = [];
  var HEX = /^#[0-9a-fA-F]{3,8}$/;

  function applyTheme(params) {
    var root = document.documentElement;
    Object.keys(params || {}).forEach(function (key) {
      var value = params[key];
      if (/^[a-z_]+$/.test(key) && typeof value === "string" && HEX.test(value)) {
        root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    });
  }

  var theme = {};
  try {
    theme = JSON.parse(fragment.get("tgWebAppThemeParams") || "{}") || {};
  } catch (e) {
    theme = {};
  }
  applyTheme(theme);
  if (tg) {
    applyTheme(tg.themeParams || {});
    if (tg.onEvent) {
      tg.onEvent("themeChanged", function () { applyTheme(tg.themeParams || {}); redraw(); });
    }
    if (tg.ready) tg.ready();
    if (tg.expand) tg.expand();
  }

  function css(name) {
    return getComputedStyle(document.body).getPropertyValue(name).trim();
  }

  function message(kind) {
    var p = document.createElement("p");
    p.className = "status error";
    p.setAttribute("role", "alert");
    p.textContent = app.getAttribute("data-" + kind) || kind;
    app.replaceChildren(p);
  }

  function request(path) {
    return fetch(path, { headers: { Authorization: "tma " + initData }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) throw new Error("unauthorized");
        if (response.status === 403) throw new Error("forbidden");
        if (!response.ok) throw new Error("failed");
        return response;
      });
  }

  var lastCharts = [];
  function redraw() { draw(lastCharts); }

  function draw(specs) {
    lastCharts = specs || [];
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    if (!window.Chart) return;
    var text = css("--text"), hint = css("--hint");
    var palette = [css("--accent"), "#e0a030", "#4caf50", "#9c6ade", "#e05d5d", hint];
    lastCharts.forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) return;
      charts.push(new window.Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d, i) {
            return {
              label: d.label, data: d.data, borderColor: palette[i % palette.length],
              backgroundColor: palette[i % palette.length], pointRadius: 0, tension: 0.2,
            };
          }),
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { labels: { color: text, boxWidth: 12 } } },
          scales: {
            x: { ticks: { color: hint, maxRotation: 0, autoSkip: true }, grid: { color: "transparent" } },
            y: { beginAtZero: true, ticks: { color: hint, precision: 0 }, grid: { color: css("--line") } },
          },
        },
      }));
    });
  }

  function show(data) {
    document.documentElement.lang = data.lang || document.documentElement.lang;
    app.innerHTML = data.html;
    app.setAttribute("data-loaded", data.view || "");
    app.setAttribute("data-loads", String(Number(app.getAttribute("data-loads") || 0) + 1));
    draw(data.charts);
    var form = document.getElementById("filters");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var query = new URLSearchParams();
        new FormData(form).forEach(function (value, key) { if (value) query.set(key, value); });
        open("admin", null, query.toString());
      });
    }
    app.querySelectorAll("[data-export]").forEach(function (button) {
      button.addEventListener("click", function () { download(button.getAttribute("data-export")); });
    });
  }

  function download(kind) {
    request("api/admin/export/" + encodeURIComponent(kind)).then(function (response) {
      var disposition = response.headers.get("Content-Disposition") || "";
      var match = /filename="([^"]+)"/.exec(disposition);
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = match ? match[1] : kind + ".csv";
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      });
    }).catch(function (error) { message(error.message); });
  }

  function open(view, team, query) {
    var path = view === "admin" ? "api/admin" : view === "team" ? "api/team/" + team : "api/me";
    if (query) path += "?" + query;
    nav.querySelectorAll("button").forEach(function (b) {
      var current = b.getAttribute("data-view") === view &&
        (view !== "team" || b.getAttribute("data-team") === String(team));
      b.setAttribute("aria-current", current ? "page" : "false");
    });
    return request(path)
      .then(function (r) { return r.json(); })
      .then(function (data) { data.view = view + (team ? "-" + team : ""); show(data); })
      .catch(function (error) { message(error.message); });
  }

  request("api/me")
    .then(function (r) { return r.json(); })
    .then(function (data) {
      nav.innerHTML = data.nav;
      nav.querySelectorAll("button").forEach(function (button) {
        button.addEventListener("click", function () {
          open(button.getAttribute("data-view"), button.getAttribute("data-team"));
        });
      });
      data.view = "me";
      show(data);
    })
    .catch(function (error) { message(error.message); });
})();
