import type { ApolloDriverConfig } from '@nestjs/apollo';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];
type Listener = Exclude<Awaited<ReturnType<NonNullable<Plugin['requestDidStart']>>>, void>;
type Context<K extends keyof Listener> = Parameters<NonNullable<Listener[K]>>[0];

/** The request hooks the server's own plugins use; `requestPlugins` runs each in order. */
const IN_ORDER = [
  'didResolveSource',
  'didResolveOperation',
  'didEncounterErrors',
  'willSendResponse',
] as const;
type InOrder = (typeof IN_ORDER)[number];
type Hook = (context: Context<InOrder>) => Promise<void>;
const SUPPORTED = new Set<string>([...IN_ORDER, 'responseForOperation']);

/**
 * The server's own per-request plugins as one Apollo plugin. Apollo runs every stage of every plugin
 * through `Promise.all` over its plugins, several promises per plugin and stage even when a plugin has
 * no hook for it; one plugin instead of six saves most of that on every request (ADR 15). The hooks of
 * each stage run one after the other in the order of `plugins`: a refusal by an earlier one (its
 * `didResolveOperation` throws) skips the later ones. `responseForOperation` answers with the first
 * plugin's response that is not null. Only request-level hooks can be combined: a plugin whose request
 * listener has an execution, parsing or validation hook is refused on its first request.
 */
export function requestPlugins(plugins: Plugin[]): Plugin {
  for (const plugin of plugins) {
    const other = Object.keys(plugin).find((key) => key !== 'requestDidStart');
    if (other) throw new Error(`requestPlugins combines request hooks only, not ${other}`);
  }
  return {
    async requestDidStart(requestContext) {
      const listeners: Listener[] = [];
      for (const plugin of plugins) {
        const listener = await plugin.requestDidStart?.(requestContext);
        if (!listener) continue;
        const other = Object.keys(listener).find((key) => !SUPPORTED.has(key));
        if (other) throw new Error(`requestPlugins cannot combine the request hook ${other}`);
        listeners.push(listener);
      }
      if (listeners.length === 0) return;
      if (listeners.length === 1) return listeners[0];
      const combined: Listener = {};
      for (const hook of IN_ORDER) {
        const own = listeners.filter((listener) => listener[hook] !== undefined) as Array<
          Record<InOrder, Hook>
        >;
        if (own.length > 0) {
          combined[hook] = async (context: Context<InOrder>) => {
            for (const listener of own) await listener[hook](context);
          };
        }
      }
      const answering = listeners.filter((listener) => listener.responseForOperation !== undefined) as Array<
        Required<Pick<Listener, 'responseForOperation'>>
      >;
      if (answering.length > 0) {
        combined.responseForOperation = async (context) => {
          for (const listener of answering) {
            const response = await listener.responseForOperation(context);
            if (response !== null) return response;
          }
          return null;
        };
      }
      return combined;
    },
  };
}
