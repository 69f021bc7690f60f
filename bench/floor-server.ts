// The ceiling of any worker-thread design on this machine: node:http on the main thread handing each
// request to an idle echo worker (one per request in flight, as Lambda environments are) and answering
// with its reply. No routing, no event building, no telemetry: what two thread hops per request cost.
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';

const body = Buffer.from('{"message":"hello"}');
// With a second argument, each worker answers that many milliseconds late, as a handler awaiting a
// store call does: the store-cost part's reference for what sleeping between request and answer costs.
const delayMs = Number(process.argv[3] ?? 0);
const reply = 'parentPort.postMessage(JSON.stringify({ statusCode: 200, body: JSON.parse(m).x }))';
const source = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => ${delayMs > 0 ? `setTimeout(() => ${reply}, ${delayMs})` : reply});`;

interface EchoWorker {
  worker: Worker;
  reply?: (message: string) => void;
}
const idle: EchoWorker[] = [];

function take(): EchoWorker {
  const ready = idle.pop();
  if (ready) return ready;
  const echo: EchoWorker = { worker: new Worker(source, { eval: true }) };
  echo.worker.on('message', (message: string) => {
    const reply = echo.reply;
    echo.reply = undefined;
    idle.push(echo);
    reply?.(message);
  });
  return echo;
}

const server = createServer((_req, res) => {
  const echo = take();
  echo.reply = (message) => {
    JSON.parse(message);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  };
  echo.worker.postMessage('{"x":"hello"}');
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
