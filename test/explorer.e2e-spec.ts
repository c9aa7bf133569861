/**
 * The API explorer: GraphiQL at GET /graphql for browsers, loaded in headless Chromium with every
 * request off this machine refused, so that it must work offline (no CDN). Needs /usr/bin/chromium
 * (Debian's `chromium`; .ci/run installs it).
 */
import { Browser, chromium } from 'playwright-core';
import { EXPLORER_EXAMPLES } from '../apps/api/src/explorer/examples';
import { TestServer, token } from './support/server';

const CHROMIUM = '/usr/bin/chromium';
const LOOPBACK = /^(https?|wss?):\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

describe('API explorer', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      TestServer.start({ demo: true }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('answers browsers at GET /graphql with the explorer, and API clients as before', async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Knooppunt API explorer');
    expect(html).not.toMatch(/https?:\/\//);
    for (const file of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'explorer.js'])
      expect((await fetch(`${server.url}/explorer/${file}`)).status).toBe(200);
    expect((await fetch(`${server.url}/explorer/package.json`)).status).toBe(404);
    expect((await server.gql('{ health }')).data).toEqual({ health: 'ok' });
  });

  it('runs a query with the token from its token field, offline', async () => {
    const context = await browser.newContext();
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (LOOPBACK.test(url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    const authorizations: Array<string | undefined> = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/graphql'))
        authorizations.push(r.headers().authorization);
    });

    await page.goto(`${server.url}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    const analyst = token('ANALYST');
    await page.locator('#kp-token').fill(analyst);
    const examples = await page.locator('#kp-example option').allTextContents();
    expect(examples.map((e) => e.split(':')[0])).toEqual(['ANALYST', 'STEWARD', 'STEERING', 'ADMIN']);
    await page.locator('#kp-example').selectOption({ index: 0 });
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('"totalCount"').first().waitFor({ timeout: 30_000 });
    const text = await result.innerText();
    expect(text).toContain('KNP-');
    expect(text).not.toContain('UNAUTHENTICATED');
    expect(authorizations).toContain(`Bearer ${analyst}`);
    expect(failures).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });

  it('each example runs for its role on the demo data', async () => {
    const org = '00000001810220350000';
    for (const example of EXPLORER_EXAMPLES) {
      const bearer = token(example.role, example.role === 'STEWARD' ? { org } : {});
      const res = await server.gql(example.query, {}, bearer);
      expect([example.title, res.errors]).toEqual([example.title, undefined]);
    }
  });
});

describe('API explorer switched off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ env: { GRAPHQL_INTROSPECTION: 'false' } });
  });
  afterAll(async () => server?.stop());

  it('is not served while introspection is off (and EXPLORER_ENABLED unset)', async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('Knooppunt API explorer');
    expect((await fetch(`${server.url}/explorer/graphiql.js`)).status).toBe(404);
  });
});
