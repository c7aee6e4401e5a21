/// The stylesheet and the live-update script, compiled in: no build step, no CDN.
enum DashboardAssets {
    /// Served at `/ui/assets/app.css`.
    static let css = """
        :root { --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
          --accent: #0a58ca; --danger: #b42318; --danger-bg: #fdecea; --warn: #7a4b00; --warn-bg: #fff4d6; --ok: #116329; --ok-bg: #dafbe1; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
          outline: 3px solid #ffbf47; outline-offset: 2px; }
        .skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 10; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        header.top { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; padding: 8px 16px; background: #0d1b2a; color: #fff; }
        header.top a { color: #fff; } .brand { font-weight: 700; text-decoration: none; font-size: 1.1rem; }
        header nav ul { display: flex; flex-wrap: wrap; gap: 4px 12px; list-style: none; margin: 0; padding: 0; }
        header nav a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }
        header form { display: flex; gap: 6px; align-items: center; margin: 0; }
        header label, .who { color: #dfe6ee; font-size: .9rem; }
        .sign-out { margin-left: auto; }
        main { padding: 16px; max-width: 1200px; margin: 0 auto; }
        main:focus { outline: none; }
        h1 { font-size: 1.6rem; margin: .4em 0; } h2 { font-size: 1.25rem; margin-top: 1.6em; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: var(--panel); font-size: .9rem; }
        .table-wrap { overflow-x: auto; }
        tr.is-killed { background: var(--danger-bg); }
        .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: .8rem; font-weight: 600; background: var(--panel); border: 1px solid var(--line); }
        .badge.danger { background: var(--danger); color: #fff; border-color: var(--danger); }
        .badge.warn { background: var(--warn-bg); color: var(--warn); border-color: #e3b341; }
        .badge.ok { background: var(--ok-bg); color: var(--ok); border-color: #4ac26b; }
        .badge.off { background: #eaeef2; color: var(--fg); }
        .muted { color: var(--muted); }
        button, input, select, textarea { font: inherit; }
        input[type=text], input[type=password], input[type=search], input[type=number], input:not([type]), select, textarea {
          padding: 6px 8px; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); max-width: 100%; }
        textarea { width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9rem; }
        button { padding: 6px 14px; border: 1px solid #8c959f; border-radius: 4px; background: var(--panel); color: var(--fg); cursor: pointer; min-height: 36px; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
        button.big { font-size: 1.15rem; font-weight: 700; padding: 10px 24px; min-height: 48px; }
        .filters, .stack { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0 12px; }
        .stack { flex-direction: column; align-items: flex-start; }
        label { font-weight: 600; }
        .narrow { max-width: 420px; margin: 8vh auto; } .narrow form { display: flex; flex-direction: column; gap: 8px; }
        .error { background: var(--danger-bg); color: var(--danger); border-left: 4px solid var(--danger); padding: 8px 12px; }
        .notice { background: var(--ok-bg); color: var(--ok); border-left: 4px solid var(--ok); padding: 8px 12px; }
        .kill-box { border: 2px solid var(--danger); border-radius: 8px; padding: 8px 16px 16px; margin: 12px 0; }
        .kill-box h2 { margin-top: .4em; color: var(--danger); }
        .kill-box form { display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
        .kill-box input[type=text] { width: min(100%, 480px); }
        .confirm { display: flex; gap: 8px; align-items: center; margin: 0; } .confirm input { width: 22px; height: 22px; }
        .kill-reason { font-weight: 600; }
        .targeting { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9rem; background: var(--panel); padding: 8px 8px 8px 32px; border-radius: 4px; }
        .timeline { padding-left: 20px; } .timeline li { margin: 4px 0; } .timeline .stage-current { font-weight: 700; } .timeline .stage-done { color: var(--muted); }
        .blockers li { color: var(--warn); }
        .actions { display: flex; flex-wrap: wrap; gap: 8px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
        figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
        figcaption { font-weight: 600; } figure svg { width: 100%; height: auto; display: block; }
        .values { font-size: .85rem; color: var(--muted); margin: 4px 0 0; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
        .swatch-0 { background: #0a58ca; } .swatch-1 { background: #c2410c; } .swatch-2 { background: #6d28d9; } .swatch-3 { background: #0f766e; }
        .audit { list-style: none; padding: 0; } .audit li { border-bottom: 1px solid var(--line); padding: 6px 0; } .audit p { margin: 0; }
        .diff { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; } .diff pre, pre { overflow-x: auto; background: var(--panel); padding: 8px; font-size: .8rem; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 4px 16px; margin: 12px 0; }
        .secret { font-family: ui-monospace, monospace; width: min(100%, 560px); }
        .live-status { position: fixed; bottom: 8px; right: 8px; margin: 0; font-size: .8rem; color: var(--muted); }
        .crumbs { margin: 0; font-size: .9rem; }
        @media (max-width: 640px) {
          header.top { padding: 8px; } .sign-out { margin-left: 0; } .who { display: none; }
          main { padding: 10px; } .diff { grid-template-columns: 1fr; }
          table.flags thead { display: none; } table.flags tr { display: block; border-bottom: 2px solid var(--line); padding: 4px 0; }
          table.flags th, table.flags td { display: block; border: 0; padding: 2px 4px; }
          table.flags td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
          button.big { width: 100%; }
        }
        """

    /// Served at `/ui/assets/live.js`: listens to the page's change stream and, on a change, fetches
    /// the page again and swaps the regions marked `data-live-region`, leaving forms being filled in
    /// alone. Without JavaScript the pages work, without live updates.
    static let js = """
        (function () {
          "use strict";
          var body = document.body, url = body.getAttribute("data-live"), page = body.getAttribute("data-page");
          if (!url || !page || !window.EventSource || !window.fetch) return;
          var status = document.getElementById("live-status"), busy = false, again = false;
          function say(text) { if (status) status.textContent = text; }
          function refresh() {
            if (busy) { again = true; return; }
            busy = true;
            fetch(page, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
              if (response.redirected || !response.ok) return null;
              return response.text();
            }).then(function (html) {
              if (!html) return;
              var fresh = new DOMParser().parseFromString(html, "text/html");
              var regions = document.querySelectorAll("[data-live-region]");
              for (var i = 0; i < regions.length; i++) {
                var replacement = fresh.getElementById(regions[i].id);
                if (replacement && !regions[i].contains(document.activeElement)) regions[i].innerHTML = replacement.innerHTML;
              }
              body.setAttribute("data-live-version", String(Date.now()));
            }).catch(function () {}).then(function () {
              busy = false;
              if (again) { again = false; refresh(); }
            });
          }
          var source = null;
          function connect() {
            source = new EventSource(url);
            source.addEventListener("open", function () { say("Live"); body.setAttribute("data-live-state", "open"); });
            source.addEventListener("error", function () { say("Reconnecting…"); body.setAttribute("data-live-state", "error"); });
            source.addEventListener("change", function (event) {
              try { var data = JSON.parse(event.data); say("Updated to version " + data.version); } catch (e) {}
              refresh();
            });
          }
          connect();
          // A page kept in the back-forward cache would otherwise hold its connection open.
          window.addEventListener("pagehide", function () { if (source) { source.close(); source = null; } });
          window.addEventListener("pageshow", function (event) { if (event.persisted && !source) { connect(); refresh(); } });
          var select = document.getElementById("env-select");
          if (select && select.form) select.addEventListener("change", function () { select.form.submit(); });
        })();
        """
}
