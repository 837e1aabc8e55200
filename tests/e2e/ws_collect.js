// ws_collect.js — a WebSocket client this project did not write (npm `ws`),
// used by the end-to-end tests: prints "OPEN", then every text message as
// one line; exits 0 after N messages (closing with 1000), 2 on timeout.
// usage: node ws_collect.js URL N TIMEOUT_SECONDS
'use strict';
const path = require('path');
let WebSocket;
try {
  WebSocket = require(path.join(__dirname, '..', 'node', 'node_modules', 'ws'));
} catch (e) {
  try {
    WebSocket = require('ws'); // NODE_PATH
  } catch (e2) {
    console.error('npm package ws is not installed (run scripts/deps.sh)');
    process.exit(77);
  }
}
if (process.argv[2] === '--check') process.exit(0);
const [url, n, timeout] = process.argv.slice(2);
const ws = new WebSocket(url);
let got = 0;
ws.on('open', () => console.log('OPEN'));
ws.on('message', (data, isBinary) => {
  if (isBinary) { console.error('unexpected binary frame'); process.exit(1); }
  console.log(data.toString());
  if (++got >= Number(n)) ws.close(1000);
});
ws.on('close', () => process.exit(got >= Number(n) ? 0 : 3));
ws.on('error', (e) => { console.error('ws error: ' + e.message); process.exit(1); });
setTimeout(() => { console.error(`timeout after ${got} messages`); process.exit(2); }, Number(timeout) * 1000);
