// The client benchmark's work done by LiveKit's own Node client (@livekit/agents inference.STT),
// against the gateway the Java bench started: N streams fed 10 or 20 ms frames of a 440 Hz tone
// at 16 kHz, in real time or as fast as possible. Run by ClientBench (scripts/bench peer), which
// reads the one JSON line this prints last. Packages: scripts/livekit-node-check installs them.
//
// env: LK_NODE_DIR, GATEWAY_BASE_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, MODE (realtime | fast | eou),
//      STREAMS, FRAME_MS, WARMUP (s), SECONDS (measured, real time), AUDIO_SECONDS (fast, per stream),
//      ROUNDS (eou), DRIVE (realtime: tuned | app)
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { answerCommandLine } from './lib/cli.mjs';

answerCommandLine('peer-bench.mjs', `usage: node scripts/peer-bench.mjs
The client benchmark's work done by LiveKit's own Node client (@livekit/agents inference.STT)
against a running gateway; prints one JSON line of results. Run by ClientBench (scripts/bench
peer). Takes no options; the environment:
  LK_NODE_DIR, GATEWAY_BASE_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET   as for livekit-node-check.mjs
  MODE realtime|fast, STREAMS (100), FRAME_MS (20), WARMUP (10 s), SECONDS (20 s measured, real
  time), AUDIO_SECONDS (20, per stream, fast)`);

const USAGE = `usage: node scripts/peer-bench.mjs [--help]   (run by scripts/bench peer; settings by environment)
  LK_NODE_DIR        directory with node_modules/@livekit/agents (scripts/livekit-node-check installs it)
  GATEWAY_BASE_URL   the bench gateway, http://127.0.0.1:PORT/v1
  LIVEKIT_API_KEY, LIVEKIT_API_SECRET   the gateway's key and secret
  MODE               realtime | fast | eou (default realtime)
  STREAMS (100), FRAME_MS (20), WARMUP (10 s), SECONDS (20 s measured; eou: per round)
  AUDIO_SECONDS (20, fast: per stream), ROUNDS (1, eou: rounds of STREAMS streams)
  DRIVE              realtime: tuned (one timer for all streams, views of the tone) or app (a timer
                     per stream and a fresh copy of each frame, as ClientBench --drive app)
  PHASES             app drive: spread (each timer starts at a random moment) or aligned
Prints one JSON line of results last.`;
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (argv.length > 0) {
  console.error(`peer-bench: unknown argument ${argv[0]}\n${USAGE}`);
  process.exit(2);
}
for (const name of ['LK_NODE_DIR', 'GATEWAY_BASE_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']) {
  if (!process.env[name]) {
    console.error(`peer-bench: ${name} is not set\n${USAGE}`);
    process.exit(2);
  }
}
if (!['tuned', 'app'].includes(process.env.DRIVE || 'tuned')) {
  console.error(`peer-bench: DRIVE must be tuned or app, got ${process.env.DRIVE}\n${USAGE}`);
  process.exit(2);
}
if (!['realtime', 'fast', 'eou'].includes(process.env.MODE || 'realtime')) {
  console.error(`peer-bench: MODE must be realtime, fast or eou, got ${process.env.MODE}\n${USAGE}`);
  process.exit(2);
}

const require = createRequire(join(process.env.LK_NODE_DIR, 'package.json'));
const { inference, stt, initializeLogger } = require('@livekit/agents');
const { AudioFrame } = require('@livekit/rtc-node');

const RATE = 16000;
const mode = process.env.MODE || 'realtime';
const streams = Number(process.env.STREAMS || 100);
const frameMs = Number(process.env.FRAME_MS || 20);
const warmup = Number(process.env.WARMUP || 10);
const seconds = Number(process.env.SECONDS || 20);
const audioSeconds = Number(process.env.AUDIO_SECONDS || 20);
const rounds = Number(process.env.ROUNDS || 1);
const drive = process.env.DRIVE || 'tuned';
// app drive: each stream's timer at its own moment (spread) or all started together (aligned)
const spread = (process.env.PHASES || 'spread') !== 'aligned';
// wall clock in microseconds, as the bench gateway stamps it (BenchGatewayMain.nowMicros)
const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;
const frameSamples = RATE * frameMs / 1000;
const framesPerSecond = 1000 / frameMs;

initializeLogger({ pretty: false, level: 'error' });
// see livekit-node-check.mjs: 1.9.0 on Node 20 may assert on a frame after session.close
process.on('uncaughtException', (err) => {
  if (err?.code === 'ERR_INTERNAL_ASSERTION' && String(err.stack).includes('stream_channel')) {
    return;
  }
  console.error('uncaught', err);
  process.exit(1);
});

const tone = new Int16Array(RATE);
for (let i = 0; i < RATE; i++) {
  tone[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE));
}
const toneBytes = Buffer.from(tone.buffer);

function frame(index) {
  const at = (index % framesPerSecond) * frameSamples;
  // a view of the tone, not a copy, as ClientBench passes its frames (the library copies what it keeps)
  return new AudioFrame(tone.subarray(at, at + frameSamples), RATE, 1, frameSamples);
}

// as an application hands a frame over: its own copy of the samples (slice copies a typed array)
function freshFrame(index) {
  const at = (index % framesPerSecond) * frameSamples;
  return new AudioFrame(tone.slice(at, at + frameSamples), RATE, 1, frameSamples);
}

function expectedChecksum(frames) {
  let crc = 0;
  for (let s = 0; s < Math.floor(frames / framesPerSecond); s++) {
    crc = crc32(toneBytes, crc);
  }
  return crc32(toneBytes.subarray(0, (frames % framesPerSecond) * frameSamples * 2), crc);
}

const client = new inference.STT({
  model: 'deepgram/nova-3',
  language: 'en',
  baseURL: process.env.GATEWAY_BASE_URL,
  apiKey: process.env.LIVEKIT_API_KEY,
  apiSecret: process.env.LIVEKIT_API_SECRET,
});

/** A stream, the frames pushed into it and the totals of its last final. */
function open(onCovered, eouSamples) {
  const t = { stream: client.stream(), frames: 0, finals: 0, totalBytes: -1, totalChecksum: -1, expected: -1, ended: false };
  t.done = (async () => {
    for await (const event of t.stream) {
      if (event.type !== stt.SpeechEventType.FINAL_TRANSCRIPT) continue;
      t.finals++;
      const meta = event.alternatives?.[0]?.metadata;
      if (eouSamples && meta && meta.finalizeAtMicros !== undefined) {
        eouSamples.push(nowMicros() - Number(meta.finalizeAtMicros));
      }
      if (meta && meta.totalBytes !== undefined) {
        t.totalBytes = Number(meta.totalBytes);
        t.totalChecksum = Number(meta.totalChecksum);
        if (t.totalBytes === t.expected && onCovered) {
          onCovered(t);
        }
      }
    }
  })();
  return t;
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function endAll(all) {
  for (const t of all) {
    t.expected = t.frames * frameSamples * 2;
    t.stream.flush();
    t.stream.endInput();
  }
  const timeout = new Promise((resolve) => setTimeout(resolve, 90_000, 'timeout'));
  await Promise.race([Promise.all(all.map((t) => t.done)), timeout]);
  let complete = 0;
  let finals = 0;
  for (const t of all) {
    finals += t.finals;
    if (t.totalBytes === t.expected && t.totalChecksum === expectedChecksum(t.frames)) complete++;
  }
  return { streams: all.length, streamsWithEveryByte: complete, finals };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function realtime() {
  const all = Array.from({ length: streams }, () => open(null));
  const start = performance.now();
  let measuring = false;
  let framesWritten = 0;
  let maxLag = 0;
  const writeDue = (t, now, due, make) => {
    if (measuring && t.frames < due) maxLag = Math.max(maxLag, now - (start + t.frames * frameMs));
    while (t.frames < due) {
      t.stream.pushFrame(make(t.frames++));
      framesWritten++;
    }
  };
  const timers = [];
  if (drive === 'app') {
    // a timer per stream, started at a random moment within one period, as each call's own
    for (const t of all) {
      timers.push(setTimeout(() => {
        timers.push(setInterval(() => {
          const now = performance.now();
          writeDue(t, now, Math.floor((now - start) / frameMs) + 1, freshFrame);
        }, frameMs));
      }, spread ? 1 + Math.floor(Math.random() * frameMs) : 0));
    }
  } else {
    timers.push(setInterval(() => {
      const now = performance.now();
      const due = Math.floor((now - start) / frameMs) + 1;
      for (const t of all) writeDue(t, now, due, frame);
    }, frameMs));
  }
  await sleep(warmup * 1000);
  const cpu0 = cpuMs();
  const frames0 = framesWritten;
  measuring = true;
  await sleep(seconds * 1000);
  const cpu = cpuMs() - cpu0;
  const frames = framesWritten - frames0;
  for (const timer of timers) clearInterval(timer);
  const audio = frames * frameMs / 1000;
  const t0 = performance.now();
  const check = await endAll(all);
  return {
    work: `${streams} streams real time, ${frameMs} ms frames, ${seconds} s measured after ${warmup} s, ${drive === 'app' ? 'driven as an application (a timer per stream, a fresh frame per push)' : 'tuned drive (one timer, views of the tone)'}`,
    audioSeconds: audio, cpuMsPerAudioSecond: cpu / audio, maxLagMs: maxLag,
    keepsRealTime: maxLag < 250 /* ClientBench.KEEPS_REAL_TIME_MS */, endToLastFinalMs: performance.now() - t0, ...check,
  };
}

async function fastPass() {
  const total = audioSeconds * framesPerSecond;
  let left = streams;
  let allCovered;
  const covered = new Promise((resolve) => { allCovered = resolve; });
  const onCovered = () => { if (--left === 0) allCovered(); };
  const t0 = performance.now();
  const cpu0 = cpuMs();
  const all = Array.from({ length: streams }, () => open(onCovered));
  for (const t of all) t.expected = total * frameSamples * 2;
  // pushFrame has no back-pressure: push in slices, letting the event loop send in between
  for (let sent = 0; sent < total; sent += 50) {
    for (const t of all) {
      for (let k = 0; k < 50 && t.frames < total; k++) t.stream.pushFrame(frame(t.frames++));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const t of all) t.stream.flush();
  const timeout = new Promise((resolve) => setTimeout(resolve, 300_000, 'timeout'));
  const how = await Promise.race([covered, timeout]);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuMs() - cpu0;
  const check = await endAll(all);
  return { wall, cpu, timedOut: how === 'timeout', check };
}

async function fast() {
  const warmupEnd = performance.now() + warmup * 1000;
  let passes = 0;
  do {
    await fastPass();
    passes++;
  } while (performance.now() < warmupEnd);
  const r = await fastPass();
  const audio = streams * audioSeconds;
  return {
    work: `${streams} streams x ${audioSeconds} s as fast as possible, ${frameMs} ms frames, after ${passes} warm-up passes`,
    audioSeconds: audio, wallSeconds: r.wall, xRealTime: audio / r.wall, cpuMsPerAudioSecond: r.cpu / audio,
    timedOut: r.timedOut, ...r.check,
  };
}

// end of utterance: rounds of N streams in real time, ended one after the other over 5 s (at once
// for one stream); each sample from session.finalize at the gateway to the final delivered here
async function eou() {
  const samples = [];
  let complete = 0;
  for (let r = 0; r <= rounds; r++) {
    const sink = r === 0 ? [] : samples;
    const all = Array.from({ length: streams }, () => open(null, sink));
    const start = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - start) / frameMs) + 1;
      for (const t of all) {
        while (!t.ended && t.frames < due) t.stream.pushFrame(frame(t.frames++));
      }
    }, frameMs);
    await sleep((r === 0 ? warmup + seconds : seconds) * 1000);
    const spread = streams === 1 ? 0 : 5000;
    await Promise.all(all.map((t, i) => new Promise((resolve) => setTimeout(() => {
      t.ended = true;
      t.expected = t.frames * frameSamples * 2;
      t.stream.flush();
      t.stream.endInput();
      resolve();
    }, (spread * i) / streams))));
    const timeout = new Promise((resolve) => setTimeout(resolve, 90_000, 'timeout'));
    await Promise.race([Promise.all(all.map((t) => t.done)), timeout]);
    clearInterval(timer);
    if (r > 0) {
      for (const t of all) {
        if (t.totalBytes === t.expected && t.totalChecksum === expectedChecksum(t.frames)) complete++;
      }
    }
  }
  samples.sort((a, b) => a - b);
  const pct = (p) => (samples.length ? samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(samples.length * p) - 1))] / 1000 : null);
  return {
    work: `${streams} stream(s) real time, ${frameMs} ms frames, ${rounds} round(s) of ${seconds} s`,
    eouSamples: samples.length, eouP50Ms: pct(0.5), eouP99Ms: pct(0.99), eouMaxMs: pct(1),
    streams: streams * rounds, streamsWithEveryByte: complete,
  };
}

const result = mode === 'fast' ? await fast() : mode === 'eou' ? await eou() : await realtime();
result.node = process.version;
console.log(JSON.stringify(result));
process.exit(0);
