/**
 * Where a handler's AWS calls go. SDK v3 reads `AWS_ENDPOINT_URL_DYNAMODB` and reaches the embedded
 * store; SDK v2 (`aws-sdk`, in countless codebases) and hand-signed HTTPS clients do not, and went to
 * the real `dynamodb.us-east-1.amazonaws.com` with credentials that are valid nowhere: each call hung
 * for seconds, answered an error, and nothing said why. So, before the handler's module loads, the
 * environment routes every request for an AWS endpoint (`*.amazonaws.com`, `*.api.aws`) made through
 * `http`/`https.request` or `fetch`:
 *
 * - a service with a local endpoint (`AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`, as SDK v3
 *   reads them; gantry sets DynamoDB's to the embedded store) goes there, whichever client sent it;
 * - any other service is answered at once, in the worker, with a 400 error its SDK parses
 *   (`ServiceNotEmulated`, never retried), naming the service and what to do; one line in the
 *   function's log says it too, once per service and environment.
 *
 * Nothing leaves for the internet, and nothing waits on it. The cost is at init only (three
 * functions replaced); an invocation runs no code of this file, and a request to any other host pays
 * one `endsWith` (bench/aws-endpoints.ts measures both).
 */
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { Duplex } from 'node:stream';
import { urlToHttpOptions } from 'node:url';

const AWS_SUFFIXES = ['.amazonaws.com', '.amazonaws.com.cn', '.api.aws'] as const;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/** The code the refusal carries, as an AWS error code: what a handler's catch sees as `error.name`/`code`. */
export const NOT_EMULATED = 'ServiceNotEmulated';

/** The service a host names (`dynamodb`, `sqs`, `s3`…), or undefined for a host that is not AWS's. */
export function awsServiceOf(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const suffix = AWS_SUFFIXES.find((s) => host.endsWith(s));
  if (!suffix) return undefined;
  const labels = host.slice(0, -suffix.length).split('.');
  if (REGION.test(labels[labels.length - 1])) labels.pop();
  const service = labels.pop();
  if (!service) return undefined;
  // DynamoDB's account-based endpoints (`123456789012.ddb.us-east-1.amazonaws.com`) and FIPS ones.
  if (service === 'ddb' || service === 'dynamodb-fips') return 'dynamodb';
  // `streams.dynamodb.…` is DynamoDB Streams, another API.
  if (service === 'dynamodb' && labels[labels.length - 1] === 'streams') return 'dynamodb-streams';
  return service;
}

/** SDK v3's service id for a host prefix where the two differ (the env variable is named after the id). */
const SERVICE_IDS: Record<string, string> = {
  events: 'EVENTBRIDGE',
  email: 'SES',
  states: 'SFN',
  monitoring: 'CLOUDWATCH',
  logs: 'CLOUDWATCH_LOGS',
  'dynamodb-streams': 'DYNAMODB_STREAMS',
};

function serviceId(service: string): string {
  return SERVICE_IDS[service] ?? service.toUpperCase().replaceAll('-', '_');
}

/** The local endpoint configured for a service, as SDK v3 would pick it, or undefined. */
function localEndpoint(service: string): URL | undefined {
  const value = process.env[`AWS_ENDPOINT_URL_${serviceId(service)}`] ?? process.env.AWS_ENDPOINT_URL;
  if (!value) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** What the handler is told when it calls a service gantry does not emulate. */
export function notEmulatedMessage(service: string, hostname: string): string {
  const id = serviceId(service);
  return (
    `${id} (${hostname}) is not emulated by gantry dev, which runs DynamoDB only: the call was not sent. ` +
    `Point the client at a local ${id} with AWS_ENDPOINT_URL_${id} in the function's environment, ` +
    'or keep this call out of local runs; deployed, it reaches the real service.'
  );
}

const warned = new Set<string>();
function warnOnce(service: string, message: string): void {
  if (warned.has(service)) return;
  warned.add(service);
  // A raw line in the function's log, as Lambda's own runtime notices are.
  process.stdout.write(`gantry: ${message}\n`);
}

/** AWS's JSON protocols carry X-Amz-Target or a JSON content type; the others (query, REST-XML) want XML. */
function refusal(service: string, hostname: string, json: boolean): { headers: Record<string, string>; body: string } {
  const message = notEmulatedMessage(service, hostname);
  warnOnce(service, message);
  const requestId = crypto.randomUUID();
  const body = json
    ? JSON.stringify({ __type: `com.amazonaws.gantry#${NOT_EMULATED}`, message, Message: message })
    : `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>${NOT_EMULATED}</Code><Message>${message.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    headers: {
      'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml',
      'x-amzn-errortype': NOT_EMULATED,
      'x-amzn-requestid': requestId,
      'x-amz-request-id': requestId,
    },
    body,
  };
}

/**
 * A socket that answers the request written to it with the refusal, without any network: it reads the
 * request head (to pick JSON or XML) and replies once, then ends.
 */
function refusingSocket(service: string, hostname: string): Duplex {
  let head = '';
  let answered = false;
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      if (!answered) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end !== -1) {
          answered = true;
          const lines = head.slice(0, end).toLowerCase();
          const json = lines.includes('\r\nx-amz-target:') || /\r\ncontent-type:[^\r]*json/.test(lines);
          const { headers, body } = refusal(service, hostname, json);
          const length = Buffer.byteLength(body);
          const fields = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
          socket.push(
            `HTTP/1.1 400 Bad Request\r\n${fields.join('')}content-length: ${length}\r\nconnection: close\r\n\r\n${body}`,
          );
          socket.push(null);
        }
      }
      done();
    },
  });
  // What http.ClientRequest and the SDKs call on a net.Socket.
  Object.assign(socket, {
    setTimeout: () => socket,
    setNoDelay: () => socket,
    setKeepAlive: () => socket,
    ref: () => socket,
    unref: () => socket,
    remoteAddress: '127.0.0.1',
    remotePort: 0,
  });
  return socket;
}

type RequestFn = typeof http.request;
type Options = http.RequestOptions & { href?: string; servername?: string };

const plainAgent = new http.Agent({ keepAlive: true });
const tlsAgent = new https.Agent({ keepAlive: true });

/** Splits request(url?, options?, callback?) into options and callback, as Node does. */
function normalize(args: unknown[]): { options: Options; callback?: (res: http.IncomingMessage) => void } {
  let [first, second, third] = args;
  let options: Options = {};
  if (typeof first === 'string' || first instanceof URL) {
    options = urlToHttpOptions(typeof first === 'string' ? new URL(first) : first) as Options;
    if (typeof second === 'function') {
      third = second;
      second = undefined;
    }
    if (second) options = { ...options, ...(second as Options) };
  } else {
    options = { ...(first as Options) };
    third = second;
  }
  return {
    options,
    callback: typeof third === 'function' ? (third as (res: http.IncomingMessage) => void) : undefined,
  };
}

function hostnameOf(options: Options): string {
  if (options.hostname) return options.hostname;
  const host = options.host ?? '';
  return host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
}

function isAwsHost(hostname: string): boolean {
  return hostname.endsWith('.amazonaws.com') || hostname.endsWith('.api.aws') || hostname.endsWith('.amazonaws.com.cn');
}

function routed(original: RequestFn, originals: { http: RequestFn; https: RequestFn }): RequestFn {
  return function request(this: unknown, ...args: unknown[]) {
    const first = args[0];
    // The common case, any other host: one check and the original call, arguments untouched.
    const quick =
      typeof first === 'string' ? first : first instanceof URL ? first.hostname : hostnameOf((first ?? {}) as Options);
    if (!quick.includes('.amazonaws.com') && !quick.includes('.api.aws'))
      return (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    const { options, callback } = normalize(args);
    const hostname = hostnameOf(options);
    const service = isAwsHost(hostname) ? awsServiceOf(hostname) : undefined;
    if (!service) return (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    const target = localEndpoint(service);
    if (!target) {
      const refused: Options & { createConnection: () => Duplex } = {
        ...options,
        protocol: 'http:',
        agent: undefined,
        createConnection: () => refusingSocket(service, hostname),
      };
      return originals.http(refused, callback);
    }
    const secure = target.protocol === 'https:';
    const base = target.pathname.replace(/\/+$/, '');
    const redirected: Options = {
      ...options,
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      host: undefined,
      port: target.port || (secure ? 443 : 80),
      path: `${base}${options.path ?? '/'}`,
      agent: secure ? tlsAgent : plainAgent,
      servername: undefined,
    };
    return (secure ? originals.https : originals.http)(redirected, callback);
  } as RequestFn;
}

function routedFetch(original: typeof fetch): typeof fetch {
  return function fetch(input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('.amazonaws.com') && !url.includes('.api.aws')) return original(input, init);
    const parsed = new URL(url);
    const service = isAwsHost(parsed.hostname) ? awsServiceOf(parsed.hostname) : undefined;
    if (!service) return original(input, init);
    const target = localEndpoint(service);
    if (!target) {
      const headers = new Headers(input instanceof Request ? input.headers : undefined);
      for (const [k, v] of new Headers(init?.headers)) headers.set(k, v);
      const json = headers.has('x-amz-target') || (headers.get('content-type') ?? '').includes('json');
      const answer = refusal(service, parsed.hostname, json);
      return Promise.resolve(new Response(answer.body, { status: 400, headers: answer.headers }));
    }
    const next = new URL(`${target.pathname.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`, target.origin);
    return original(input instanceof Request ? new Request(next, input) : next, init);
  };
}

let installed = false;

/** Routes the environment's AWS calls; called once, before the handler's module is imported. */
export function routeAwsEndpoints(): void {
  if (installed) return;
  installed = true;
  const originals = { http: http.request, https: https.request };
  http.request = routed(originals.http, originals);
  https.request = routed(originals.https, originals);
  // `get` calls the module's internal request, not the export: route it too, ending the request as get does.
  http.get = ((...args: unknown[]) => {
    const req = (http.request as (...a: unknown[]) => http.ClientRequest)(...args);
    req.end();
    return req;
  }) as typeof http.get;
  https.get = ((...args: unknown[]) => {
    const req = (https.request as (...a: unknown[]) => http.ClientRequest)(...args);
    req.end();
    return req;
  }) as typeof https.get;
  // `import { request } from 'node:https'` binds the ESM export: bring those up to date too.
  syncBuiltinESMExports();
  if (typeof globalThis.fetch === 'function') globalThis.fetch = routedFetch(globalThis.fetch);
}
