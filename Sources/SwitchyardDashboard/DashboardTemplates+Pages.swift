extension DashboardTemplates {
    static let auditEntries = """
        <ol class="audit">
        {{#entries}}
        <li>
          <p><time datetime="{{atISO}}">{{at}}</time> · <strong>{{action}}</strong>{{#flag}} of <a href="/ui/flags/{{flag}}?env={{environment}}">{{flag}}</a>{{/flag}} by {{author}}{{#reason}} · “{{reason}}”{{/reason}}{{#version}} · version {{version}}{{/version}}</p>
          {{#hasDiff}}
          <details><summary>Before and after</summary>
            <div class="diff"><div><h4>Before</h4><pre>{{before}}</pre></div><div><h4>After</h4><pre>{{after}}</pre></div></div>
          </details>
          {{/hasDiff}}
        </li>
        {{/entries}}
        {{^entries}}<li>No entries.</li>{{/entries}}
        </ol>
        """

    static let audit = """
        <h1>Audit log of {{environment}}</h1>
        <form class="filters" method="get" action="/ui/audit">
          <input type="hidden" name="env" value="{{environment}}">
          <label for="audit-flag">Flag</label>
          <input id="audit-flag" name="flag" type="search" value="{{flagFilter}}">
          <button type="submit">Filter</button>
        </form>
        <div id="audit-region" data-live-region>
        {{>auditEntries}}
        </div>
        """

    static let segments = """
        <h1>Segments in {{environment}}</h1>
        {{#segments}}
        <section id="segment-{{name}}" class="card" aria-labelledby="segment-heading-{{name}}">
          <h2 id="segment-heading-{{name}}">{{name}} <span class="muted">version {{version}}</span></h2>
          <p>Used by: {{#usedBy}}<a href="/ui/flags/{{.}}?env={{environment}}">{{.}}</a> {{/usedBy}}{{^usedBy}}no flag{{/usedBy}}</p>
          <ol class="targeting">{{#lines}}<li>{{.}}</li>{{/lines}}</ol>
          <details><summary>JSON</summary><pre>{{json}}</pre></details>
        </section>
        {{/segments}}
        {{^segments}}<p>No segments.</p>{{/segments}}
        """

    static let environments = """
        <h1>Environments</h1>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Flags</th><th scope="col">Killed</th><th scope="col">Created</th></tr></thead>
          <tbody>{{#rows}}<tr><th scope="row"><a href="/ui/flags?env={{name}}">{{name}}</a></th><td>{{flags}}</td><td>{{killed}}</td><td>{{created}}</td></tr>{{/rows}}</tbody>
        </table></div>
        <h2>Add an environment</h2>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/environments">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label for="env-name">Name</label>
          <input id="env-name" name="name" required pattern="[A-Za-z0-9_.\\-]+">
          <button type="submit" class="primary">Add</button>
        </form>
        """

    static let keys = """
        <h1>API keys</h1>
        {{#issued}}
        <div class="notice" role="alert">
          <p>New {{kind}} key <strong>{{name}}</strong> ({{id}}). Copy it now: it is shown only once.</p>
          <p><label for="new-key">Key</label> <input id="new-key" readonly value="{{secret}}" class="secret"></p>
        </div>
        {{/issued}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Environment</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
          <tbody>
          {{#rows}}
          <tr><th scope="row"><code>{{id}}</code></th><td>{{name}}</td><td>{{kind}}</td><td>{{environment}}</td><td>{{created}}</td>
            <td>{{#revoked}}revoked {{revoked}}{{/revoked}}{{^revoked}}
              <form method="post" action="/ui/keys/{{id}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" class="danger" aria-label="Revoke {{name}} ({{id}})">Revoke</button></form>{{/revoked}}</td></tr>
          {{/rows}}
          </tbody>
        </table></div>
        <h2>Create a key</h2>
        <form method="post" action="/ui/keys" class="stack">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label for="key-name">Name</label>
          <input id="key-name" name="name" required maxlength="200">
          <label for="key-kind">Kind</label>
          <select id="key-kind" name="kind"><option value="sdk">SDK (one environment)</option><option value="admin">admin</option></select>
          <label for="key-env">Environment (SDK keys)</label>
          <select id="key-env" name="environment">{{#environments}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/environments}}</select>
          <button type="submit" class="primary">Create</button>
        </form>
        """

    static let stale = """
        <h1>Stale flags in {{environment}}</h1>
        <form class="filters" method="get" action="/ui/stale">
          <input type="hidden" name="env" value="{{environment}}">
          <label for="days">Unchanged for at least (days)</label>
          <input id="days" name="days" type="number" min="0" value="{{days}}">
          <button type="submit">Apply</button>
        </form>
        <p>Flags that serve the same to everyone (no targeting, killed or disabled), are not permanent and have not changed for {{days}} days: candidates for removal from the code.</p>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Flag</th><th scope="col">Serves</th><th scope="col">Last change</th></tr></thead>
          <tbody>{{#rows}}<tr><th scope="row"><a href="/ui/flags/{{key}}?env={{environment}}">{{key}}</a></th><td>{{serves}}</td><td>{{updated}}</td></tr>{{/rows}}
          {{^rows}}<tr><td colspan="3">No stale flags.</td></tr>{{/rows}}</tbody>
        </table></div>
        """
}
