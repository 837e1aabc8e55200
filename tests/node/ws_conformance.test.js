// ws_conformance.test.js — end-to-end WebSocket sink test against a real
// `eddy serve`, using the npm `ws` client (written by others) plus raw TCP
// sockets for protocol violations and for a client that never reads.
//
// Usage: node ws_conformance.test.js PATH/TO/eddy   (or EDDY_BIN=...)
// Exit 0 = pass, 1 = fail, 77 = skipped (the ws package is not installed).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const net = require('net');
const http = require('http');
const crypto = require('crypto');
const { spawn } = require('child_process');

let WebSocket;
try {
  WebSocket = require(path.join(__dirname, 'node_modules', 'ws'));
} catch (e) {
  console.log('SKIP: npm package ws not installed (run scripts/deps.sh)');
  process.exit(77);
}

const EDDY = process.argv[2] || process.env.EDDY_BIN;
if (!EDDY || !fs.existsSync(EDDY)) {
  console.error(`FAIL: eddy binary not found: ${EDDY}`);
  process.exit(1);
}

let failures = 0;
function check(cond, what) {
  if (cond) { console.log(`ok - ${what}`); return; }
  failures++;
  console.error(`not ok - ${what}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(pred, what, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return true;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function httpGet(port, p) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
  });
}

// Parse unmasked server frames from a buffer: [{fin, op, payload}], rest.
function parseFrames(buf) {
  const frames = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const b0 = buf[off], b1 = buf[off + 1];
    let len = b1 & 0x7f, h = 2;
    if (len === 126) { if (buf.length - off < 4) break; len = buf.readUInt16BE(off + 2); h = 4; }
    else if (len === 127) { if (buf.length - off < 10) break; len = Number(buf.readBigUInt64BE(off + 2)); h = 10; }
    if (buf.length - off < h + len) break;
    frames.push({ fin: !!(b0 & 0x80), op: b0 & 0x0f, payload: buf.subarray(off + h, off + h + len) });
    off += h + len;
  }
  return { frames, rest: buf.subarray(off) };
}

function clientFrame(op, payload, masked = true) {
  const len = payload.length;
  const hdr = [0x80 | op];
  if (len < 126) hdr.push((masked ? 0x80 : 0) | len);
  else if (len <= 65535) { hdr.push((masked ? 0x80 : 0) | 126, len >> 8, len & 255); }
  else { hdr.push((masked ? 0x80 : 0) | 127, 0, 0, 0, 0, (len >>> 24) & 255, (len >> 16) & 255, (len >> 8) & 255, len & 255); }
  const mask = masked ? crypto.randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([Buffer.from(hdr), mask, body]);
}

// Raw socket that performs the opening handshake by hand.
function rawUpgrade(port, sink, { read = true } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const key = crypto.randomBytes(16).toString('base64');
    let buf = Buffer.alloc(0);
    const st = { sock, data: Buffer.alloc(0), ended: false };
    sock.on('error', () => {});
    sock.on('connect', () => {
      sock.write(`GET /ws/${sink} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                 `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      const head = buf.subarray(0, i).toString();
      sock.removeListener('data', onData);
      const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(`Sec-WebSocket-Accept: ${accept}`)) {
        reject(new Error(`bad handshake: ${head}`));
        return;
      }
      st.data = buf.subarray(i + 4);
      if (!read) sock.pause();
      sock.on('data', (x) => { st.data = Buffer.concat([st.data, x]); });
      sock.on('end', () => { st.ended = true; });
      sock.on('close', () => { st.ended = true; });
      resolve(st);
    };
    sock.on('data', onData);
  });
}

function closeCode(frames) {
  const c = frames.find((f) => f.op === 8);
  return c && c.payload.length >= 2 ? c.payload.readUInt16BE(0) : null;
}

async function main() {
  const httpPort = await freePort();
  let tcpPort = await freePort();
  while (tcpPort === httpPort) tcpPort = await freePort();
  let winPort = await freePort();
  while (winPort === httpPort || winPort === tcpPort) winPort = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-ws-'));
  const sqlFile = path.join(dir, 'q.sql');
  fs.writeFileSync(sqlFile,
    `CREATE STREAM s (id BIGINT, msg VARCHAR) WITH (connector='tcp', port=${tcpPort});\n` +
    `CREATE SINK out WITH (connector='websocket', max_queue_bytes=65536);\n` +
    `CREATE QUERY q AS INSERT INTO out SELECT id, msg FROM s;\n` +
    `CREATE STREAM w (k VARCHAR, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '0' SECOND) WITH (connector='tcp', port=${winPort});\n` +
    `CREATE SINK wout WITH (connector='websocket');\n` +
    `CREATE QUERY wq AS INSERT INTO wout SELECT k, COUNT(*) AS n, window_end FROM w WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k;\n` +
    // no client while its windows fire: rows are kept unrendered, rendered when one arrives
    `CREATE SINK wlazy WITH (connector='websocket');\n` +
    `CREATE SINK two WITH (connector='websocket', max_clients=2);\n` +
    `CREATE QUERY q2 AS INSERT INTO two SELECT id FROM s;\n` +
    `CREATE QUERY wq2 AS INSERT INTO wlazy SELECT k AS "key", COUNT(*) * 1.5 AS x, window_end FROM w WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k;\n`);
  const srv = spawn(EDDY, ['serve', '--listen', `127.0.0.1:${httpPort}`, '-f', sqlFile],
                    { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  srv.stderr.on('data', (d) => { stderr += d; process.stderr.write(d); });
  let exited = false;
  srv.on('exit', () => { exited = true; });
  const cleanup = () => { if (!exited) srv.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); };
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`eddy serve exited early: ${stderr}`);
      try { return (await httpGet(httpPort, '/healthz')).status === 200; } catch (e) { return false; }
    }, 'eddy serve to listen');
    const url = `ws://127.0.0.1:${httpPort}/ws/out`;

    // --- HTTP: a client that half-closes right after its request still gets the reply
    const halfClosed = await new Promise((resolve) => {
      let r = '';
      const s = net.connect(httpPort, '127.0.0.1', () => s.end('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.on('data', (d) => { r += d; });
      s.on('close', () => resolve(r));
      s.on('error', () => {});
    });
    check(/^HTTP\/1\.1 200 /.test(halfClosed) && halfClosed.endsWith('ok\n'), 'reply delivered to a half-closed HTTP client');

    // --- unknown sink -> 404
    const status404 = await new Promise((resolve) => {
      const w = new WebSocket(`ws://127.0.0.1:${httpPort}/ws/nope`);
      w.on('unexpected-response', (req, res) => { resolve(res.statusCode); });
      w.on('error', () => resolve(-1));
    });
    check(status404 === 404, 'unknown sink name answers 404');

    // --- max_clients: the third client of a sink that takes two is refused
    // with 503 before the upgrade; once one leaves, a new one gets in
    {
      const turl = `ws://127.0.0.1:${httpPort}/ws/two`;
      const open = () => new Promise((resolve) => {
        const w = new WebSocket(turl);
        w.on('open', () => resolve({ w, status: 101 }));
        w.on('unexpected-response', (req, res) => {
          let body = '';
          res.on('data', (d) => { body += d; });
          res.on('end', () => resolve({ w, status: res.statusCode, body }));
        });
        w.on('error', (e) => resolve({ w, status: -1, body: String(e) })); // a failed check, not a hang
      });
      const a = await open(), b = await open(), c = await open();
      check(a.status === 101 && b.status === 101, `two clients are served (${a.status}, ${b.status})`);
      check(c.status === 503 && /max_clients \(2\)/.test(c.body), `a third is refused with 503 and says why (${c.status} ${c.body})`);
      const metricOf = (text, name, sink) => {
        const l = text.split('\n').find((x) => x.startsWith(name + '{') && x.includes(`"${sink}"`));
        return l ? Number(l.trim().split(/\s+/).pop()) : NaN;
      };
      let mt = (await httpGet(httpPort, '/metrics')).body;
      check(metricOf(mt, 'eddy_sink_refused_clients_total', 'two') === 1 && metricOf(mt, 'eddy_sink_clients', 'two') === 2,
            '/metrics counts the refused client and shows two connected');
      const sinks = JSON.parse((await httpGet(httpPort, '/api/v1/sinks')).body);
      const two = (Array.isArray(sinks) ? sinks : sinks.sinks || []).find((x) => x.name === 'two');
      check(two && two.refused_clients === 1 && two.clients === 2, `/api/v1/sinks shows it too (${JSON.stringify(two && { c: two.clients, r: two.refused_clients })})`);
      await new Promise((resolve) => { a.w.on('close', resolve); a.w.close(1000, 'bye'); });
      await waitFor(async () => metricOf((await httpGet(httpPort, '/metrics')).body, 'eddy_sink_clients', 'two') === 1, 'the sink to count one client');
      const d = await open();
      check(d.status === 101, `after one leaves a new client gets in (${d.status})`);
      b.w.close();
      d.w.close();
    }

    // --- rows from several TCP producers reach a real ws client
    const fast = new WebSocket(url);
    const got = [];
    fast.on('message', (d, isBinary) => { got.push({ text: d.toString(), isBinary }); });
    await new Promise((res, rej) => { fast.on('open', res); fast.on('error', rej); });
    const PRODUCERS = 4, PER = 250;
    await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => new Promise((resolve, reject) => {
      const s = net.connect(tcpPort, '127.0.0.1', async () => {
        let text = '';
        for (let i = 0; i < PER; i++) text += JSON.stringify({ id: p * 1000 + i, msg: `p${p}-${i}`, extra: [1, { x: 2 }] }) + '\n';
        text = text.slice(0, -1); // the last line has no newline: EOF ends it
        // write in uneven chunks so lines are split across reads
        for (let o = 0; o < text.length; o += 777) { s.write(text.slice(o, o + 777)); await sleep(1); }
        s.end();
      });
      s.on('close', resolve);
      s.on('error', reject);
    })));
    // one malformed line must not stop the stream
    await new Promise((resolve) => { const s = net.connect(tcpPort, '127.0.0.1', () => s.end('{"id": "oops"}\nnot json\n{"id":99999,"msg":"after-bad"}\n')); s.on('close', resolve); });
    const total = PRODUCERS * PER + 1;
    await waitFor(() => got.length >= total, `${total} rows on the ws client`);
    const rows = got.map((g) => JSON.parse(g.text));
    const ids = new Set(rows.map((r) => r.id));
    let allIds = true;
    for (let p = 0; p < PRODUCERS; p++) for (let i = 0; i < PER; i++) if (!ids.has(p * 1000 + i)) allIds = false;
    check(allIds && ids.has(99999) && rows.length === total, 'every row from every producer arrived exactly once (incl. final line without newline)');
    check(got.every((g) => !g.isBinary), 'rows are text frames');
    check(rows.every((r) => Object.keys(r).join(',') === 'id,msg' && (r.id === 99999 ? r.msg === 'after-bad' : r.msg === `p${Math.floor(r.id / 1000)}-${r.id % 1000}`)),
          'rows have the selected columns in order with the right values');
    // per producer, order is preserved
    let ordered = true;
    for (let p = 0; p < PRODUCERS; p++) {
      const seq = rows.filter((r) => Math.floor(r.id / 1000) === p && r.id !== 99999).map((r) => r.id);
      for (let i = 1; i < seq.length; i++) if (seq[i] < seq[i - 1]) ordered = false;
    }
    check(ordered, 'rows of one producer keep their order');

    // --- a late subscriber first gets the most recent emit (per-event: the last row)
    const late = new WebSocket(url);
    const first = await new Promise((res, rej) => { late.once('message', (d) => res(d.toString())); late.on('error', rej); });
    check(first === got[got.length - 1].text, 'a new client first receives the latest emitted row');
    late.close();

    // --- windowed sink: a new client first gets every row of the latest window
    {
      const wurl = `ws://127.0.0.1:${httpPort}/ws/wout`;
      const watcher = new WebSocket(wurl);
      const seen = [];
      watcher.on('message', (d) => seen.push(JSON.parse(d.toString())));
      await new Promise((res, rej) => { watcher.on('open', res); watcher.on('error', rej); });
      const send = (lines) => new Promise((resolve) => {
        const s = net.connect(winPort, '127.0.0.1', () => s.end(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
        s.on('close', resolve);
      });
      await send([{ k: 'a', ts: 100 }, { k: 'b', ts: 200 }, { k: 'c', ts: 300 }, { k: 'a', ts: 1100 }, { k: 'b', ts: 1200 },
                  { k: 'a', ts: 1300 }, { k: 'z', ts: 2500 }]);
      await waitFor(() => seen.length >= 5, 'two windows emitted');
      const second = seen.filter((r) => r.window_end === '1970-01-01T00:00:02.000Z').map((r) => `${r.k}:${r.n}`).sort();
      check(seen.length === 5 && second.join(',') === 'a:2,b:1', `live rows of both windows (${JSON.stringify(seen)})`);
      // wlazy had no client when these windows fired: a first client gets the
      // latest window's rows, rendered now from the values kept
      const collect = (u) => {
        const ws = new WebSocket(u);
        const rows = [];
        ws.on('message', (d) => rows.push(JSON.parse(d.toString())));
        return { ws, rows, open: new Promise((res, rej) => { ws.on('open', res); ws.on('error', rej); }) };
      };
      const lurl = `ws://127.0.0.1:${httpPort}/ws/wlazy`;
      const lz = collect(lurl);
      await lz.open;
      await waitFor(() => lz.rows.length >= 2, 'the unwatched sink\'s latest window on connect');
      const lsnap = lz.rows.map((r) => `${Object.keys(r).join('/')}=${r.key}:${r.x}@${r.window_end}`).sort().join(',');
      check(lsnap === 'key/x/window_end=a:3@1970-01-01T00:00:02.000Z,key/x/window_end=b:1.5@1970-01-01T00:00:02.000Z',
            `a sink without clients keeps its latest window and renders it for the first client (${lsnap})`);
      const joiner = new WebSocket(wurl);

      const jseen = [];
      joiner.on('message', (d) => jseen.push(JSON.parse(d.toString())));
      await new Promise((res, rej) => { joiner.on('open', res); joiner.on('error', rej); });
      await send([{ k: 'y', ts: 3500 }]); // closes [2000,3000): row z
      await waitFor(() => jseen.length >= 3, 'snapshot and the next live row');
      const snap = jseen.slice(0, 2).map((r) => `${r.k}:${r.n}@${r.window_end}`).sort().join(',');
      check(snap === 'a:2@1970-01-01T00:00:02.000Z,b:1@1970-01-01T00:00:02.000Z', `new client first gets the latest window's rows (${snap})`);
      check(jseen[2].k === 'z' && jseen[2].window_end === '1970-01-01T00:00:03.000Z', 'then live rows');
      await waitFor(() => lz.rows.length >= 3, 'a live row on the formerly unwatched sink');
      check(lz.rows.length === 3 && lz.rows[2].key === 'z' && lz.rows[2].x === 1.5, `then live rows there too (${JSON.stringify(lz.rows)})`);
      // its last client leaves: the next window is kept unrendered again
      await new Promise((res) => { lz.ws.on('close', res); lz.ws.close(); });
      await waitFor(async () => (await (await fetch(`http://127.0.0.1:${httpPort}/api/v1/sinks`)).json())
        .find((k) => k.name === 'wlazy').clients === 0, 'the server saw the client leave');
      await send([{ k: 'q', ts: 4500 }]); // closes [3000,4000): row y
      await waitFor(() => seen.length >= 7, 'window [3000,4000) on the watched sink');
      const lz2 = collect(lurl);
      await lz2.open;
      await waitFor(() => lz2.rows.length >= 1, 'snapshot after the last client left');
      check(lz2.rows.length === 1 && lz2.rows[0].key === 'y' && lz2.rows[0].window_end === '1970-01-01T00:00:04.000Z',
            `a new client gets the window that fired while nobody watched (${JSON.stringify(lz2.rows)})`);
      lz2.ws.close();
      watcher.close();
      joiner.close();
    }

    // --- ping -> pong
    const pong = await new Promise((resolve) => {
      fast.once('pong', (d) => resolve(d.toString()));
      fast.ping('are-you-there');
      setTimeout(() => resolve(null), 5000);
    });
    check(pong === 'are-you-there', 'ping answered with a pong carrying the same payload');

    // --- protocol violations get RFC 6455 close codes
    async function violation(frame, want, what) {
      const st = await rawUpgrade(httpPort, 'out');
      st.sock.write(frame);
      await waitFor(() => st.ended || closeCode(parseFrames(st.data).frames) !== null, `close frame (${what})`);
      await waitFor(() => st.ended, `connection end (${what})`);
      const code = closeCode(parseFrames(st.data).frames);
      check(code === want, `${what} -> close ${want} (got ${code})`);
      st.sock.destroy();
    }
    await violation(clientFrame(1, Buffer.from('hello'), false), 1002, 'unmasked client frame');
    await violation(clientFrame(1, Buffer.from([0x68, 0xff, 0xfe])), 1007, 'invalid UTF-8 in a text frame');
    await violation(Buffer.concat([Buffer.from([0x09 | 0x00, 0x80]), Buffer.alloc(4)]), 1002, 'fragmented ping');
    await violation(Buffer.concat([Buffer.from([0x83, 0x80]), Buffer.alloc(4)]), 1002, 'reserved opcode');
    await violation(clientFrame(1, Buffer.alloc(70000, 0x61)), 1009, 'message larger than 64 KiB');
    {
      // fragmented message whose total exceeds 64 KiB
      const a = clientFrame(1, Buffer.alloc(40000, 0x61)); a[0] &= 0x7f;
      await violation(Buffer.concat([a, clientFrame(0, Buffer.alloc(40000, 0x61))]), 1009, 'fragmented message larger than 64 KiB');
    }
    await violation(clientFrame(0, Buffer.from('x')), 1002, 'continuation without a message');
    {
      // a fragmented text message split inside a UTF-8 sequence is valid
      const a = clientFrame(1, Buffer.from([0x63, 0xc3])); a[0] &= 0x7f;
      const st = await rawUpgrade(httpPort, 'out');
      st.sock.write(Buffer.concat([a, clientFrame(0, Buffer.from([0xa9]))]));
      st.sock.write(clientFrame(9, Buffer.from('p1')));
      await waitFor(() => parseFrames(st.data).frames.some((f) => f.op === 10), 'pong after a fragmented message');
      check(closeCode(parseFrames(st.data).frames) === null, 'fragmented valid UTF-8 message accepted');
      st.sock.destroy();
    }
    {
      const r = await httpGet(httpPort, '/ws/out');
      check(r.status === 426, `plain GET on a WebSocket endpoint -> 426 (got ${r.status})`);
    }
    {
      // clean close handshake: our close is echoed, then the server closes TCP
      const st = await rawUpgrade(httpPort, 'out');
      st.sock.write(clientFrame(8, Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65])));
      await waitFor(() => st.ended, 'server closes after the close handshake');
      check(closeCode(parseFrames(st.data).frames) === 1000, 'close frame echoed with code 1000');
    }

    // --- slow client is dropped with 1008; fast client keeps every row
    const slow = await rawUpgrade(httpPort, 'out', { read: false });
    const before = got.length;
    // The producer is paced by the fast client's progress (at most one small
    // burst in flight), so that client genuinely keeps up; the slow one
    // never reads, so its queue must overflow.
    const BIG = 3000, BURST = 10, pad = 'x'.repeat(4000);
    const prod = await new Promise((resolve, reject) => {
      const s = net.connect(tcpPort, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    });
    for (let i = 0; i < BIG; i += BURST) {
      let text = '';
      for (let k = i; k < i + BURST; k++) text += JSON.stringify({ id: 100000 + k, msg: pad }) + '\n';
      prod.write(text);
      const want = before + i + BURST;
      try {
        await waitFor(() => got.length >= want || fast.readyState !== WebSocket.OPEN, 'fast client progress', 15000);
      } catch (e) { break; }
      if (fast.readyState !== WebSocket.OPEN) break;
    }
    prod.end();
    try {
      await waitFor(() => got.length >= before + BIG, `${BIG} more rows on the fast client`, 15000);
    } catch (e) {
      console.error(`fast client: ${got.length - before} rows, readyState ${fast.readyState}`);
      throw e;
    }
    const bigIds = got.slice(before).map((g) => JSON.parse(g.text).id);
    let fastOk = bigIds.length === BIG;
    for (let i = 0; i < bigIds.length && fastOk; i++) if (bigIds[i] !== 100000 + i) fastOk = false;
    check(fastOk, 'the fast client received every row in order while the slow one stalled');
    let metrics = '';
    await waitFor(async () => { metrics = (await httpGet(httpPort, '/metrics')).body; return /eddy_sink_dropped_clients_total\{sink="out"\} [1-9]/.test(metrics); }, 'the slow client to be dropped', 15000).catch(() => {});
    const m = metrics.split('\n').find((l) => l.startsWith('eddy_sink_dropped_clients_total') && l.includes('"out"'));
    check(m && Number(m.trim().split(/\s+/).pop()) === 1, `/metrics shows the dropped client (${m})`);
    const mc = metrics.split('\n').find((l) => l.startsWith('eddy_sink_clients') && l.includes('"out"'));
    check(mc && Number(mc.trim().split(/\s+/).pop()) === 1, `/metrics shows one connected client (${mc})`);
    slow.sock.resume();
    await waitFor(() => slow.ended, 'slow client connection to end', 30000);
    const sf = parseFrames(slow.data).frames;
    check(sf.length > 0 && sf[sf.length - 1].op === 8 && closeCode(sf) === 1008, `slow client got close 1008 (${closeCode(sf)})`);
    check(fast.readyState === WebSocket.OPEN, 'the fast client is still connected');

    // --- fast client closes cleanly
    const closed = await new Promise((resolve) => { fast.on('close', (code) => resolve(code)); fast.close(1000, 'done'); });
    check(closed === 1000, 'ws client close handshake completes with 1000');
    // --- clean shutdown (under ASan a leak makes the exit code non-zero);
    // connected clients are told 1001 (going away)
    const last = new WebSocket(url);
    await new Promise((res, rej) => { last.on('open', res); last.on('error', rej); });
    const lastClose = new Promise((resolve) => { last.on('close', (c) => resolve(c)); });
    const code = await new Promise((resolve) => {
      if (exited) { resolve(srv.exitCode); return; }
      srv.on('exit', (c, sig) => resolve(sig ? sig : c));
      srv.kill('SIGTERM');
    });
    check(code === 0, `eddy serve exits 0 on SIGTERM (got ${code})`);
    const lc = await Promise.race([lastClose, sleep(10000).then(() => 'no close event')]);
    check(lc === 1001, `clients get close 1001 when the server shuts down (got ${lc})`);
  } finally {
    cleanup();
  }
  if (failures) { console.error(`${failures} check(s) failed`); process.exit(1); }
  console.log('ws_conformance: all checks passed');
}

main().catch((e) => { console.error(`FAIL: ${e.stack || e}`); process.exit(1); });
