// Runs one fake backend in a process of its own, so it neither takes CPU time from the server
// under test nor from the load generator. Prints one JSON line on stdout: the env that points a
// server at it. argv: <kind> <bundle file URL> <delay ms per statement (starrocks)>
import { randomBytes } from 'node:crypto';
import net from 'node:net';

// A real StarRocks FE, like any MySQL server, sets TCP_NODELAY on client sockets. The simulator
// does not, and then every result set waits ~40 ms for the client's delayed ACK (Nagle's
// algorithm): latency no real cluster has. Set it on every socket this process accepts (Node's
// HTTP servers, the Volcengine fake among them, set it already).
const emit = net.Server.prototype.emit;
net.Server.prototype.emit = function emitWithNoDelay(event, socket, ...rest) {
  if (event === 'connection') socket.setNoDelay(true);
  return emit.call(this, event, socket, ...rest);
};

const [kind, bundleUrl, delayMs] = process.argv.slice(2);
const module = await import(bundleUrl);
let env;
let stopBackend;

if (kind === 'starrocks') {
  const user = 'bench';
  const password = randomBytes(12).toString('hex');
  const sim = await module.startSimulator({ delayMs: Number(delayMs), user, password });
  env = { SR_HOST: sim.host, SR_PORT: String(sim.port), SR_USER: user, SR_PASSWORD: password };
  stopBackend = () => sim.stop();
} else if (kind === 'rocketmq') {
  const accessKeyId = `AKLTBENCH${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  const fake = await module.startFakeVolcengine({ keys: [{ accessKeyId, secretAccessKey }] });
  env = { VOLCENGINE_ENDPOINT: fake.url, VOLCENGINE_ACCESS_KEY: accessKeyId, VOLCENGINE_SECRET_KEY: secretAccessKey };
  stopBackend = () => fake.stop();
} else {
  throw new Error(`unknown fake backend ${kind}`);
}

process.stdout.write(`${JSON.stringify(env)}\n`);
const stop = async () => {
  await stopBackend();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark owns this process: when its stdin closes, the fake goes too.
process.stdin.on('end', stop);
process.stdin.resume();
