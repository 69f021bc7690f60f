/**
 * The runtime's warm-up: one HTTP request over loopback, inside the sandbox, before it waits for its
 * function, and a request signature computed as SigV4 does when the bundle imports `crypto` too. V8
 * compiles functions on their first call, in each isolate: a fresh environment whose first invocation
 * makes one AWS SDK call compiled Node's own HTTP client, sockets, streams and hashes then, fifty
 * times over on two shared cores when fifty cold starts come at once. Measured on fifty simultaneous
 * cold starts of the example's POST /orders (alternating pairs): the request took their CPU from 2,510
 * to 2,060 ms (median of 6; perf had put ~13 % of it in compiling Node's internals, most of them its
 * HTTP client's, the rest went to running that code cold), the signature from 36.5 to 35.2 ms per
 * cold start and the slowest of the fifty from 1,003 to 912 ms (median of 7). That code is Node's,
 * the same for every function, like the built-in modules the sandbox already loads ahead (preload.ts):
 * a sandbox started ahead of need compiles it while nothing waits.
 *
 * Lambda's model holds: no function code runs here, nothing is shared between environments, and the
 * function's init and first invocation still run when their invocation arrives. What a handler could
 * see is nothing: the request goes to a server of this file on 127.0.0.1 (no DNS, no store, no log
 * line), with its own agent, and every socket and the server are closed before the sandbox reports
 * itself booted, so no resource is left for the freeze to find (freeze.ts); the hashes keep nothing.
 *
 * Only sandboxes started ahead (pre-started, provisioned) warm up, and only when the function's bundle
 * imports Node's HTTP client: at an on-demand cold start the same compile would merely move from the
 * first invocation into the cold start that waits for it.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { bareBuiltin } from './preload.ts';

/** What the request looks like: an AWS JSON-protocol call (DynamoDB's), as the SDK's handler sends it. */
const BODY = '{"TableName":"warm-up"}';
const ANSWER =
  'HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}';

/**
 * Past this the sandbox reports itself booted without the warm-up: a request over loopback answers in
 * milliseconds, but nothing may keep `gantry dev`'s start (which waits for pre-started sandboxes) or
 * an environment's init waiting on it.
 */
const WARM_UP_TIMEOUT_MS = 5000;

/**
 * Warms up what the bundle imports (its `preload`): the HTTP client when it imports `http` or `https`
 * (the AWS SDK's handler imports both), and SigV4's hashes when it imports `crypto` too (the SDK's
 * hash-node does). Resolves true once the request has gone and its answer was read; false when the
 * bundle imports no HTTP client or anything failed (never rejects).
 */
export async function warmUp(preload: readonly string[]): Promise<boolean> {
  const imports = new Set(preload.map(bareBuiltin));
  if (!imports.has('http') && !imports.has('https')) return false;
  try {
    if (imports.has('crypto')) signLikeSigV4();
  } catch {
    // A Node built without an algorithm: the first invocation compiles what it uses, as before.
  }
  return warmUpHttpClient();
}

/**
 * What each AWS call computes: the payload's SHA-256, a four-step HMAC chain for the signing key, the
 * signature, and the SDK's invocation id (a random UUID). Nothing is kept.
 */
function signLikeSigV4(): void {
  let key = createHmac('sha256', 'AWS4warm-up').update('20260101').digest();
  for (const scope of ['us-east-1', 'dynamodb', 'aws4_request']) key = createHmac('sha256', key).update(scope).digest();
  createHmac('sha256', key).update(createHash('sha256').update(BODY).digest('hex')).digest('hex');
  randomUUID();
}

async function warmUpHttpClient(): Promise<boolean> {
  // Both ends of every connection, to close them all before the sandbox reports itself booted.
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => socket.write(ANSWER));
  });
  // A keep-alive agent, as the SDK's: the answer's socket goes back to the pool before it is closed.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const roundTrip = async (): Promise<string> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as net.AddressInfo;
    return new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          agent,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(BODY) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          response.on('error', reject);
        },
      );
      request.on('socket', (socket) => sockets.add(socket));
      request.on('error', reject);
      request.end(BODY);
    });
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      roundTrip(),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), WARM_UP_TIMEOUT_MS);
      }),
    ]);
    return answer === '{}';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    agent.destroy();
    const closed = [...sockets].map(
      (socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve()))),
    );
    for (const socket of sockets) socket.destroy();
    // Its callback also comes when it never listened: nothing is left either way.
    closed.push(new Promise<void>((resolve) => server.close(() => resolve())));
    await Promise.all(closed);
  }
}
