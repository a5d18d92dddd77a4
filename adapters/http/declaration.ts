import type { AdapterDeclaration, JsonSchema, OperationDeclaration } from '../types.js';

/** Configuration of an `http` instance: where it talks to and how patiently. */
export interface HttpConfig {
  baseUrl?: string;
  headers?: Record<string, string>;
  timeout?: string;
  retries?: { attempts?: number; backoff?: string };
}

const duration = { type: 'string', pattern: '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$' };
const headers = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Request headers. A value `env:NAME` is read from drplan’s environment when the call is made, so tokens stay out of plans.',
};

export const httpConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string', description: 'Prefix of relative `url`s, e.g. https://api.example.com/v1' },
    headers,
    timeout: { ...duration, description: 'How long one request may take. Default 30s.' },
    retries: {
      type: 'object',
      additionalProperties: false,
      description: 'Retries of one call on connection errors and 5xx answers (a step’s `retry` comes on top).',
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 10, description: 'Attempts in all. Default 3.' },
        backoff: { ...duration, description: 'Wait before the second attempt, doubled each time. Default 1s.' },
      },
    },
  },
};

const requestWith: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], description: 'Default GET, or POST when there is a body.' },
    url: { type: 'string', minLength: 1, description: 'Absolute, or relative to the instance’s baseUrl.' },
    headers,
    query: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    body: { description: 'Sent as JSON.' },
    expectStatus: {
      description: 'Status codes that count as success. Default: any 2xx.',
      anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }],
    },
    timeout: { ...duration, description: 'Overrides the instance timeout for this call.' },
  },
};

const output: JsonSchema = {
  type: 'object',
  properties: {
    status: { type: 'integer' },
    headers: { type: 'object' },
    body: { description: 'The JSON answer, or its text when it is not JSON.' },
  },
};

const operations: Record<string, OperationDeclaration> = {
  request: {
    description: 'Calls an HTTP API or webhook. Not idempotent: a POST may have happened even if its answer was lost.',
    with: requestWith,
    output,
    idempotent: false,
    estimateMs: 1000,
  },
  get: {
    description: 'A GET (or HEAD): reads only, safe to repeat.',
    with: requestWith,
    output,
    idempotent: true,
    estimateMs: 500,
  },
};

export const httpDeclaration: AdapterDeclaration<HttpConfig> = {
  type: 'http',
  description: 'Calls HTTP APIs and webhooks: JSON in and out, expected status, timeout, retries on 5xx and connection errors.',
  configSchema: httpConfigSchema,
  operations: () => operations,
};
