import { ApolloDriverConfig } from '@nestjs/apollo';
import { EXPLORER_EXAMPLES } from './examples';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** Where the explorer's files are served; /graphql/* itself belongs to Apollo. */
export const EXPLORER_ASSETS = '/explorer';

/** The files the page loads, from installed packages (no CDN: the explorer works offline). */
export const EXPLORER_FILES: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** The page's own script: a token field, the examples and GraphiQL with a fetcher that sends the token. */
export const EXPLORER_SCRIPT = `'use strict';
(function () {
  var h = React.createElement;
  var examples = JSON.parse(document.getElementById('examples').textContent);
  var url = new URL(location.pathname, location.href).toString();
  var STORAGE = 'knooppunt-explorer-token';

  function App() {
    var tokenState = React.useState(sessionStorage.getItem(STORAGE) || '');
    var token = tokenState[0];
    var queryState = React.useState(examples[0].query);
    var fetcher = React.useMemo(function () {
      var headers = token.trim() ? { authorization: 'Bearer ' + token.trim() } : {};
      return GraphiQL.createFetcher({ url: url, headers: headers });
    }, [token]);
    return h('div', { className: 'kp-page' }, [
      h('form', { key: 'bar', className: 'kp-bar', onSubmit: function (e) { e.preventDefault(); } }, [
        h('strong', { key: 'name' }, 'Knooppunt API'),
        h('label', { key: 'token' }, [
          'Bearer token ',
          h('input', {
            key: 'input', id: 'kp-token', type: 'password', autoComplete: 'off', spellCheck: false,
            placeholder: 'npm run -s token -- --role ANALYST', value: token,
            onChange: function (e) {
              sessionStorage.setItem(STORAGE, e.target.value);
              tokenState[1](e.target.value);
            },
          }),
        ]),
        h('label', { key: 'example' }, [
          'Example ',
          h('select', {
            key: 'select', id: 'kp-example', defaultValue: '0',
            onChange: function (e) { queryState[1](examples[Number(e.target.value)].query); },
          }, examples.map(function (x, i) {
            return h('option', { key: i, value: String(i) }, x.role + ': ' + x.title);
          })),
        ]),
      ]),
      h('div', { key: 'graphiql', className: 'kp-graphiql' },
        h(GraphiQL, {
          fetcher: fetcher, query: queryState[0], onEditQuery: queryState[1],
          shouldPersistHeaders: false, isHeadersEditorEnabled: false,
        })),
    ]);
  }

  ReactDOM.createRoot(document.getElementById('explorer')).render(h(App));
})();
`;

/** The HTML page answered to browsers at GET /graphql. */
export function explorerPage(): string {
  const examples = EXPLORER_EXAMPLES.map(({ role, title, query }) => ({ role, title, query }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Knooppunt API explorer</title>
<link rel="stylesheet" href="${EXPLORER_ASSETS}/graphiql.css">
<style>
  html, body, #explorer { height: 100%; margin: 0; }
  .kp-page { display: flex; flex-direction: column; height: 100%; font-family: system-ui, sans-serif; }
  .kp-bar { display: flex; gap: 1.5rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; }
  .kp-bar input { width: 28rem; font-family: monospace; }
  .kp-graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script id="examples" type="application/json">${scriptJson(examples)}</script>
<script src="${EXPLORER_ASSETS}/react.js"></script>
<script src="${EXPLORER_ASSETS}/react-dom.js"></script>
<script src="${EXPLORER_ASSETS}/graphiql.js"></script>
<script src="${EXPLORER_ASSETS}/explorer.js"></script>
</body>
</html>
`;
}

/** Apollo's landing-page hook: browsers asking GET /graphql for HTML get the explorer. */
export function explorerPlugin(): Plugin {
  const html = explorerPage();
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
