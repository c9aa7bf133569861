import { requestPlugins } from './request-plugins';

type Plugin = Parameters<typeof requestPlugins>[0][number];
type Listener = Exclude<Awaited<ReturnType<NonNullable<Plugin['requestDidStart']>>>, void>;

/** A plugin whose hooks note their calls in `calls` under `name`. */
function noting(name: string, calls: string[], hooks: Partial<Record<keyof Listener, unknown>> = {}): Plugin {
  return {
    async requestDidStart() {
      const listener: Record<string, unknown> = {};
      for (const [hook, result] of Object.entries(hooks)) {
        listener[hook] = async () => {
          calls.push(`${name}.${hook}`);
          if (result instanceof Error) throw result;
          return result;
        };
      }
      return listener as Listener;
    },
  };
}

const start = async (plugin: Plugin): Promise<Listener | void> =>
  plugin.requestDidStart!({} as Parameters<NonNullable<Plugin['requestDidStart']>>[0]);
const context = {} as never;

describe('requestPlugins', () => {
  it('runs each stage of every plugin, one after the other in the order given', async () => {
    const calls: string[] = [];
    const listener = (await start(
      requestPlugins([
        noting('a', calls, { didResolveOperation: undefined, willSendResponse: undefined }),
        noting('b', calls, { willSendResponse: undefined }),
        noting('c', calls, { didResolveOperation: undefined }),
      ]),
    )) as Listener;
    await listener.didResolveOperation!(context);
    await listener.willSendResponse!(context);
    expect(calls).toEqual([
      'a.didResolveOperation',
      'c.didResolveOperation',
      'a.willSendResponse',
      'b.willSendResponse',
    ]);
    // No plugin has the hook: the combined listener has none either, and Apollo skips the stage.
    expect(listener.didEncounterErrors).toBeUndefined();
  });

  it('stops a stage at the first refusal', async () => {
    const calls: string[] = [];
    const refusal = new Error('too deep');
    const listener = (await start(
      requestPlugins([
        noting('limits', calls, { didResolveOperation: refusal }),
        noting('rate', calls, { didResolveOperation: undefined }),
      ]),
    )) as Listener;
    await expect(listener.didResolveOperation!(context)).rejects.toBe(refusal);
    expect(calls).toEqual(['limits.didResolveOperation']);
  });

  it('answers an operation with the first response that is not null', async () => {
    const calls: string[] = [];
    const response = { http: {}, body: { kind: 'single' } };
    const listener = (await start(
      requestPlugins([
        noting('a', calls, { responseForOperation: null }),
        noting('b', calls, { responseForOperation: response }),
        noting('c', calls, { responseForOperation: { other: true } }),
      ]),
    )) as Listener;
    expect(await listener.responseForOperation!(context)).toBe(response);
    expect(calls).toEqual(['a.responseForOperation', 'b.responseForOperation']);
  });

  it('gives the single listener as it is, and none when no plugin listens', async () => {
    const calls: string[] = [];
    const only = noting('only', calls, { willSendResponse: undefined });
    const listener = (await start(
      requestPlugins([only, { requestDidStart: async () => undefined }]),
    )) as Listener;
    await listener.willSendResponse!(context);
    expect(calls).toEqual(['only.willSendResponse']);
    expect(await start(requestPlugins([{ requestDidStart: async () => undefined }]))).toBeUndefined();
  });

  it('refuses what it cannot combine: server hooks, and execution hooks on a request', async () => {
    expect(() => requestPlugins([{ serverWillStart: async () => undefined }])).toThrow(/serverWillStart/);
    const tracing: Plugin = { requestDidStart: async () => ({ executionDidStart: async () => undefined }) };
    await expect(start(requestPlugins([tracing]))).rejects.toThrow(/executionDidStart/);
  });
});
