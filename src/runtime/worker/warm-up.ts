/**
 * The runtime's warm-up: one HTTP request over loopback, inside the sandbox, before it waits for its
 * function. V8 compiles functions on their first call, in each isolate: a fresh environment whose
 * first invocation makes one AWS SDK call compiled Node's own HTTP client, sockets and streams then,
 * fifty times over on two shared cores when fifty cold starts come at once (with this warm-up, fifty
 * simultaneous cold starts of the example's POST /orders took 2,060 ms of CPU against 2,510, median of
 * six alternating pairs; perf put ~13 % of them in compiling Node's internals, most of it its HTTP
 * client's, and the rest in running that code cold). That code is Node's, the same for every function,
 * like the built-in modules the sandbox already loads ahead (preload.ts): a sandbox started ahead of
 * need compiles it while nothing waits.
 *
 * Lambda's model holds: no function code runs here, nothing is shared between environments, and the
 * function's init and first invocation still run when their invocation arrives. What a handler could
 * see is nothing: the request goes to a server of this file on 127.0.0.1 (no DNS, no store, no log
 * line), with its own agent, and every socket and the server are closed before the sandbox reports
 * itself booted, so no resource is left for the freeze to find (freeze.ts).
 *
 * Only sandboxes started ahead (pre-started, provisioned) warm up, and only when the function's bundle
 * imports Node's HTTP client: at an on-demand cold start the same compile would merely move from the
 * first invocation into the cold start that waits for it.
 */
import http from 'node:http';
import net from 'node:net';

/** What the request looks like: an AWS JSON-protocol call (DynamoDB's), as the SDK's handler sends it. */
const BODY = '{"TableName":"warm-up"}';
const ANSWER =
  'HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}';

/** Resolves true once a request has gone and its answer was read, false if anything failed (never rejects). */
export async function warmUpHttpClient(): Promise<boolean> {
  // Both ends of every connection, to close them all before the sandbox reports itself booted.
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => socket.write(ANSWER));
  });
  // A keep-alive agent, as the SDK's: the answer's socket goes back to the pool before it is closed.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as net.AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
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
    return answer === '{}';
  } catch {
    return false;
  } finally {
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
