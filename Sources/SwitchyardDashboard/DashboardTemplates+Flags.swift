extension DashboardTemplates {
    static let flags = """
        <h1>Flags in {{environment}}</h1>
        <form class="filters" method="get" action="/ui/flags" role="search">
          <input type="hidden" name="env" value="{{environment}}">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value="{{query}}" placeholder="key or variant">
          <label for="filter">Show</label>
          <select id="filter" name="filter">
            {{#filters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters}}
          </select>
          <button type="submit">Apply</button>
        </form>
        <div id="flags-region" data-live-region>
        <p class="count">{{shown}} of {{total}} flags</p>
        <div class="table-wrap">
        <table class="flags">
          <caption class="visually-hidden">Flags in {{environment}}</caption>
          <thead><tr><th scope="col">Flag</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Rollout</th><th scope="col">Rules</th><th scope="col">Last output</th><th scope="col">Last change</th></tr></thead>
          <tbody>
          {{#rows}}
          <tr data-flag="{{key}}"{{#killed}} class="is-killed"{{/killed}}>
            <th scope="row"><a href="/ui/flags/{{key}}?env={{environment}}">{{key}}</a>{{#permanent}} <span class="badge">permanent</span>{{/permanent}}</th>
            <td data-label="Type">{{type}}</td>
            <td data-label="State">{{#killed}}<span class="badge danger">KILLED</span> <span class="kill-reason">{{reason}}</span> <span class="muted">by {{by}}{{#guardrail}} (guardrail){{/guardrail}}</span>{{/killed}}{{^killed}}<span class="badge {{stateClass}}">{{state}}</span>{{/killed}}</td>
            <td data-label="Rollout">{{#rollout}}{{phase}} · {{stage}} · {{percent}} %{{/rollout}}{{^rollout}}<span class="muted">none</span>{{/rollout}}</td>
            <td data-label="Kill rules">{{#rules}}{{count}}{{#close}} <span class="badge warn">close to tripping</span>{{/close}}{{#tripped}} <span class="badge danger">tripped</span>{{/tripped}}{{/rules}}{{^rules}}<span class="muted">none</span>{{/rules}}</td>
            <td data-label="Last output">{{lastOutput}}</td>
            <td data-label="Last change"><time datetime="{{updatedISO}}">{{updated}}</time></td>
          </tr>
          {{/rows}}
          {{^rows}}<tr><td colspan="7">No flag matches.</td></tr>{{/rows}}
          </tbody>
        </table>
        </div>
        </div>
        """

    static let flag = """
        <p class="crumbs"><a href="/ui/flags?env={{environment}}">Flags</a> / {{key}}</p>
        <div id="flag-state" data-live-region>
        <h1>{{key}} {{#permanent}}<span class="badge">permanent</span>{{/permanent}}</h1>
        <p class="status-line">
          {{#killed}}<span class="badge danger">KILLED</span> <span class="kill-reason">{{reason}}</span> · by {{by}}{{#guardrail}} (guardrail){{/guardrail}} · <time datetime="{{atISO}}">{{at}}</time>{{/killed}}
          {{^killed}}<span class="badge {{stateClass}}">{{state}}</span>{{/killed}}
          · version {{version}} · {{type}}
        </p>
        </div>
        <section class="kill-box" aria-labelledby="kill-heading">
          <h2 id="kill-heading">Kill switch</h2>
          {{^isKilled}}
          <form method="post" action="/ui/flags/{{key}}/kill?env={{environment}}" class="kill-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <p>A kill serves <strong>{{safeVariant}}</strong> to everyone, at once, until someone unkills the flag.</p>
            <label for="kill-reason">Reason (required)</label>
            <input id="kill-reason" name="reason" type="text" required maxlength="500">
            <p class="confirm"><input id="kill-confirm" name="confirm" type="checkbox" value="yes" required>
            <label for="kill-confirm">Yes, kill {{key}} in {{environment}}</label></p>
            <button type="submit" class="danger big">Kill {{key}}</button>
          </form>
          {{/isKilled}}
          {{#isKilled}}
          <form method="post" action="/ui/flags/{{key}}/unkill?env={{environment}}">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="unkill-reason">Reason (optional)</label>
            <input id="unkill-reason" name="reason" type="text" maxlength="500">
            <button type="submit" class="primary">Unkill {{key}}</button>
          </form>
          {{/isKilled}}
        </section>

        <section aria-labelledby="variants-heading">
          <h2 id="variants-heading">Variants and targeting</h2>
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Variant</th><th scope="col">Value</th><th scope="col">Role</th></tr></thead>
            <tbody>{{#variants}}<tr><th scope="row">{{name}}</th><td><code>{{value}}</code></td><td>{{role}}</td></tr>{{/variants}}</tbody>
          </table></div>
          <h3>Targeting</h3>
          {{#targeting}}<ol class="targeting">{{#lines}}<li>{{.}}</li>{{/lines}}</ol>{{/targeting}}
          {{^targeting}}<p>No targeting: everyone gets <strong>{{defaultVariant}}</strong>.</p>{{/targeting}}
          {{#hasSegments}}<p>Segments used: {{#segments}}<a href="/ui/segments?env={{environment}}#segment-{{.}}">{{.}}</a> {{/segments}}</p>{{/hasSegments}}
        </section>

        <div id="flag-rollout" data-live-region>
        {{#rollout}}
        <section aria-labelledby="rollout-heading">
          <h2 id="rollout-heading">Rollout</h2>
          <p><strong>{{phase}}</strong> · stage {{stage}} · treatment {{percent}} %{{#next}} · next: {{next}}{{/next}}{{#earliest}} · earliest advance in {{earliest}}{{/earliest}}</p>
          {{#hasBlockers}}<ul class="blockers">{{#blockers}}<li>{{.}}</li>{{/blockers}}</ul>{{/hasBlockers}}
          <ol class="timeline">
            {{#timeline}}<li class="stage-{{status}}"{{#isCurrent}} aria-current="step"{{/isCurrent}}><strong>{{name}}</strong> · {{gate}} · at least {{minDuration}}, {{minUnits}} units per arm · <em>{{status}}</em></li>{{/timeline}}
          </ol>
          <div class="actions">
            {{#commands}}
            <form method="post" action="/ui/flags/{{key}}/rollout/{{command}}?env={{environment}}">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit"{{#danger}} class="danger"{{/danger}}>{{label}}</button>
            </form>
            {{/commands}}
          </div>
        </section>
        {{/rollout}}
        </div>

        <div id="flag-charts" data-live-region>
        {{#hasCharts}}
        <section aria-labelledby="charts-heading">
          <h2 id="charts-heading">Guardrails by variant (last hour, per minute)</h2>
          <p class="legend">{{#arms}}<span class="swatch swatch-{{index}}" aria-hidden="true"></span> {{variant}} ({{units}} units, {{outputs}} outputs) {{/arms}}</p>
          <div class="charts">
          {{#charts}}
          <figure>
            <figcaption>{{title}}</figcaption>
            {{{svg}}}
            <p class="values">{{#values}}{{variant}}: {{value}} {{/values}}</p>
          </figure>
          {{/charts}}
          </div>
          {{#hasComparisons}}
          <div class="table-wrap"><table>
            <caption>Treatment against control {{control}}, with always-valid intervals</caption>
            <thead><tr><th scope="col">Variant</th><th scope="col">Metric</th><th scope="col">Control</th><th scope="col">Treatment</th><th scope="col">Difference [interval]</th><th scope="col">Verdict</th></tr></thead>
            <tbody>{{#comparisons}}<tr><th scope="row">{{variant}}</th><td>{{metric}}</td><td>{{control}}</td><td>{{treatment}}</td><td>{{difference}}</td><td>{{verdict}}</td></tr>{{/comparisons}}</tbody>
          </table></div>
          {{/hasComparisons}}
        </section>
        {{/hasCharts}}
        {{#noOutputs}}<p>No output events in the last hour: the guardrail charts appear once the application reports outputs.</p>{{/noOutputs}}
        </div>

        <div id="flag-rules" data-live-region>
        {{#hasGuardrails}}
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">Kill rules</h2>
          <p>Last output event: {{lastOutput}}</p>
          {{#hasRules}}
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Rule</th><th scope="col">Variant</th><th scope="col">Observed</th><th scope="col">Bound</th><th scope="col">Limit</th><th scope="col">Samples</th><th scope="col">State</th></tr></thead>
            <tbody>
            {{#rules}}{{#measurements}}<tr><th scope="row"><code>{{rule}}</code></th><td>{{variant}}</td><td>{{observed}}</td><td>{{bound}}</td><td>{{limit}}</td><td>{{samples}}</td><td>{{#tripped}}<span class="badge danger">tripped</span>{{/tripped}}{{#close}}<span class="badge warn">close</span>{{/close}}{{#ok}}ok{{/ok}}</td></tr>{{/measurements}}{{/rules}}
            </tbody>
          </table></div>
          {{/hasRules}}
          {{^hasRules}}<p>No kill rules.</p>{{/hasRules}}
        </section>
        {{/hasGuardrails}}
        </div>

        <div id="flag-propagation" data-live-region>
        <section aria-labelledby="propagation-heading">
          <h2 id="propagation-heading">Propagation of the last change</h2>
          {{#propagation}}
          <p>Version {{version}}: delivered to {{delivered}} of {{connected}} connected clients (p50 {{deliveredP50}}, p99 {{deliveredP99}}), applied by {{applied}} (p50 {{appliedP50}}, p99 {{appliedP99}}); {{withoutReceipts}} post no receipts.</p>
          {{#hasBehind}}<p>Behind: {{#behind}}<code>{{.}}</code> {{/behind}}</p>{{/hasBehind}}
          {{/propagation}}
          {{^propagation}}<p>No change of this flag on its own yet.</p>{{/propagation}}
        </section>
        </div>

        <section aria-labelledby="edit-heading">
          <h2 id="edit-heading">Edit as JSON</h2>
          {{#hasProblems}}
          <div class="error" role="alert" id="edit-problems">
            <p>Nothing was stored: the definition has {{problemCount}} problem(s).</p>
            <ul>{{#problems}}<li><code>{{path}}</code>: {{message}}</li>{{/problems}}</ul>
          </div>
          {{/hasProblems}}
          <form method="post" action="/ui/flags/{{key}}/edit?env={{environment}}">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="version" value="{{version}}">
            <label for="definition">Definition of {{key}} (flagd flag object, without the key)</label>
            <textarea id="definition" name="definition" rows="18" spellcheck="false"{{#hasProblems}} aria-invalid="true" aria-describedby="edit-problems"{{/hasProblems}}>{{definition}}</textarea>
            <button type="submit" class="primary">Save</button>
          </form>
        </section>

        <div id="flag-audit" data-live-region>
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          {{>auditEntries}}
        </section>
        </div>
        """
}
