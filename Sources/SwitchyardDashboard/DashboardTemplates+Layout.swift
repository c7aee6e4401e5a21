extension DashboardTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Switchyard</title>
        <link rel="stylesheet" href="/ui/assets/app.css">
        </head>
        <body{{#live}} data-live="{{live}}" data-page="{{page}}"{{/live}}>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/ui/flags?env={{environment}}">Switchyard</a>
          {{#signedIn}}
          <nav aria-label="Main">
            <ul>
              {{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}
            </ul>
          </nav>
          <form class="env-switch" method="get" action="{{switchAction}}">
            <label for="env-select">Environment</label>
            <select id="env-select" name="env">
              {{#environments}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/environments}}
            </select>
            <button type="submit">Switch</button>
          </form>
          <form class="sign-out" method="post" action="/ui/sign-out">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <span class="who">Signed in as {{signedIn}}</span>
            <button type="submit">Sign out</button>
          </form>
          {{/signedIn}}
        </header>
        <main id="main" tabindex="-1">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{{body}}}
        </main>
        <p id="live-status" class="live-status" role="status" aria-live="polite"></p>
        {{#live}}<script src="/ui/assets/live.js" defer></script>{{/live}}
        </body>
        </html>
        """

    static let signIn = """
        <section class="narrow">
        <h1>Sign in</h1>
        <p>Sign in with an admin key. It stays on the server for this session; the browser keeps only a session cookie.</p>
        {{#error}}<p class="error" role="alert" id="sign-in-error">{{error}}</p>{{/error}}
        <form method="post" action="/ui/sign-in">
          <input type="hidden" name="next" value="{{next}}">
          <label for="key">Admin key</label>
          <input id="key" name="key" type="password" autocomplete="current-password" required autofocus{{#error}} aria-describedby="sign-in-error"{{/error}}>
          <button type="submit" class="primary">Sign in</button>
        </form>
        </section>
        """

    static let message = """
        <section class="narrow">
        <h1>{{heading}}</h1>
        <p{{#isError}} class="error" role="alert"{{/isError}}>{{text}}</p>
        <p><a href="{{back}}">Back</a></p>
        </section>
        """
}
