
/**
 * GraphiQL served from our own origin, offline: the editor's script, its styles and its three
 * Monaco workers are files under /graphql/assets (the package ships them as strings; yoga's own
 * renderer inlines them in one page with inline scripts and blob: workers, which our CSP refuses).
 * No CDN, no inline script: `script-src 'self'` holds for this page as for the panel.
 */
// Monaco adds <style> elements at run time and knows no nonce: each gets this answer's nonce
// (read from the page, as the panel hands its nonce to styled-components), so style-src needs no
// 'unsafe-inline'.
const BOOT = `(function () {
  var nonce = document.querySelector('meta[name="csp-nonce"]').getAttribute('content');
  var create = document.createElement.bind(document);
  document.createElement = function (tag, options) {
    var el = create(tag, options);
    if (String(tag).toLowerCase() === 'style') el.setAttribute('nonce', nonce);
    return el;
  };
})();
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) { return '/graphql/assets/worker-' + label + '.js'; },
};`;

const RENDER = `YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${JSON.stringify({
  endpoint: '/graphql',
  title: 'ipocket GraphQL',
  credentials: 'same-origin',
  defaultQuery: '# Logged in by the panel session, or a Bearer token (Headers tab).\n{\n  ipAssets(limit: 10) {\n    total\n    items { ipAddress type project { name } host { name } tags }\n  }\n}\n',
})});`;

interface Asset {
  body: string;
  type: string;
}

let assets: Promise<ReadonlyMap<string, Asset>> | undefined;

/**
 * The files the page loads, by name (the :file of GET /graphql/assets/:file). The package holds
 * 9 MB of strings: loaded on the first GraphiQL visit, not at start-up.
 */
export function graphiqlAssets(): Promise<ReadonlyMap<string, Asset>> {
  return (assets ??= import('@graphql-yoga/render-graphiql/graphiql').then(({ css, editorWorkerService, graphqlWorker, js, jsonWorker }) => {
    const workers: Record<string, string> = { editorWorkerService, json: jsonWorker, graphql: graphqlWorker };
    return new Map<string, Asset>([
      ['graphiql.css', { body: css, type: 'text/css; charset=utf-8' }],
      // One script: the Monaco environment must exist before the editor's bundle runs.
      ['graphiql.js', { body: `${BOOT}\n${js};\n${RENDER}\n`, type: 'text/javascript; charset=utf-8' }],
      ...Object.entries(workers).map(([label, body]): [string, Asset] => [`worker-${label}.js`, { body, type: 'text/javascript; charset=utf-8' }]),
    ]);
  }));
}

/** The page: markup only; everything it runs comes from graphiqlAssets(). `nonce`: this answer's CSP nonce. */
export const graphiqlPage = (nonce: string): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="csp-nonce" content="${nonce}" />
    <title>ipocket GraphQL</title>
    <link rel="icon" href="/favicon.ico" />
    <link rel="stylesheet" href="/graphql/assets/graphiql.css" />
  </head>
  <body>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root" style="height: 100vh"></div>
    <script src="/graphql/assets/graphiql.js"></script>
  </body>
</html>
`;
