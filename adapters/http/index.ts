import { OperationError, type Adapter, type AdapterInstance } from '../types.js';
import { httpDeclaration, type HttpConfig } from './declaration.js';
import { httpCall, type HttpCallInput } from './http-call.js';

export { httpDeclaration, type HttpConfig } from './declaration.js';
export { httpCall, type HttpCallInput } from './http-call.js';

/**
 * The `http` adapter: webhooks and APIs from plans.
 *
 * @example
 * ```yaml
 * adapters:
 *   pager: { type: http, config: { baseUrl: https://events.example.com, headers: { authorization: "env:PAGER_TOKEN" } } }
 * finalize:
 *   - id: announce
 *     action: pager.request
 *     with: { url: /v2/enqueue, body: { summary: "{{plan.name}} failed over" }, expectStatus: 202 }
 * ```
 */
export const httpAdapter: Adapter<HttpConfig> = {
  ...httpDeclaration,
  open(config, environment): AdapterInstance {
    return {
      async call(operation, input, ctx) {
        if (operation !== 'request' && operation !== 'get') throw new OperationError(`http has no operation "${operation}"; it provides: request, get`, { retryable: false });
        const request = input as unknown as HttpCallInput;
        if (operation === 'get' && request.method && !['GET', 'HEAD'].includes(request.method.toUpperCase())) {
          throw new OperationError(`http.get only reads (GET or HEAD); use http.request for ${request.method}`, { retryable: false });
        }
        ctx.logger.info({ stepId: ctx.stepId, method: request.method ?? (request.body === undefined ? 'GET' : 'POST'), url: request.url }, 'http call');
        return httpCall(config, request, { env: environment.env, clock: ctx.clock, signal: ctx.signal });
      },
    };
  },
};
