// The fault benchmark's work done by LiveKit's own Node client (@livekit/agents inference.STT, its
// default options): N streams fed 20 ms frames of a 440 Hz tone at 16 kHz in real time, while the
// Java bench (FaultBench, scripts/bench fault --peer) breaks the gateway. Per stream it measures the
// longest time without a transcript event (interim or final) while audio flowed, as FaultBench's
// Deafness does, the first transcript after the fault, and whether the stream died. Packages:
// scripts/livekit-node-check installs them.
//
// Protocol with FaultBench: the streams are opened at once; the audio starts on the line `go` on
// standard input (sent once the gateway saw every stream connect) and this prints `started`; the
// line `fault` marks the fault's instant; at the end one JSON line of results.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { answerCommandLine } from './lib/cli.mjs';

answerCommandLine('fault-peer.mjs', `usage: node scripts/fault-peer.mjs
The fault benchmark's streams with LiveKit's own Node client (@livekit/agents inference.STT),
driven by FaultBench (scripts/bench fault --peer): it starts the audio on the line "go" on standard
input, prints "started", takes "fault" as the fault's instant, and prints one JSON line of results
last. Takes no options; the environment:
  LK_NODE_DIR, GATEWAY_BASE_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET   as for livekit-node-check.mjs
  STREAMS (20), FRAME_MS (20), SECONDS (24: audio per stream, real time), WARMUP (2: the first
  seconds of audio, not measured; longer until every stream heard a transcript, at most WARMUP_MAX, 30);
  prints "window" when the measured window starts`);

for (const name of ['LK_NODE_DIR', 'GATEWAY_BASE_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']) {
  if (!process.env[name]) {
    console.error(`fault-peer: ${name} is not set (node scripts/fault-peer.mjs --help)`);
    process.exit(2);
  }
}

const require = createRequire(join(process.env.LK_NODE_DIR, 'package.json'));
const { inference, stt, initializeLogger } = require('@livekit/agents');
const { AudioFrame } = require('@livekit/rtc-node');

const RATE = 16000;
const streams = Number(process.env.STREAMS || 20);
const frameMs = Number(process.env.FRAME_MS || 20);
const seconds = Number(process.env.SECONDS || 24);
// the first seconds of audio are not measured (FaultBench --warmup-seconds), and no less than until
// every stream heard a transcript, at most WARMUP_MAX seconds: FaultBench's rule
const warmup = Number(process.env.WARMUP || 2);
const warmupMax = Number(process.env.WARMUP_MAX || 30);
const frameSamples = RATE * frameMs / 1000;
const framesPerSecond = 1000 / frameMs;

initializeLogger({ pretty: false, level: 'error' });
// see livekit-node-check.mjs: 1.9.0 on Node 20 may assert on a frame after session.close; a dead
// gateway may also leave a rejected promise behind: note it, the streams' own state tells the rest
let stray = 0;
process.on('uncaughtException', (err) => {
  if (err?.code === 'ERR_INTERNAL_ASSERTION' && String(err.stack).includes('stream_channel')) {
    return;
  }
  stray++;
  console.error('uncaught', err);
});
process.on('unhandledRejection', (err) => {
  stray++;
  console.error('unhandled rejection', err);
});

const tone = new Int16Array(RATE);
for (let i = 0; i < RATE; i++) {
  tone[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE));
}

function frame(index) {
  const at = (index % framesPerSecond) * frameSamples;
  return new AudioFrame(tone.subarray(at, at + frameSamples), RATE, 1, frameSamples);
}

const client = new inference.STT({
  model: 'deepgram/nova-3',
  language: 'en',
  baseURL: process.env.GATEWAY_BASE_URL,
  apiKey: process.env.LIVEKIT_API_KEY,
  apiSecret: process.env.LIVEKIT_API_SECRET,
});
let sttErrors = 0;
client.on('error', () => { sttErrors++; });

let audioT0 = 0; // the audio's start
let audioStart = 0; // the measured window's start, after the warm-up
let audioEnd = Infinity;
let faultAt = 0;

/** A stream and its deafness, as FaultBench's Deafness measures it (ms, performance.now()). */
function open() {
  const t = {
    stream: client.stream(), frames: 0, bytes: 0, ending: false, died: null,
    lastEvent: 0, longest: 0, longestFrom: 0, heardAfterFault: -1, warm: false, heardAny: false,
  };
  const gap = (from, to) => {
    if (to - from > t.longest) {
      t.longest = to - from;
      t.longestFrom = from;
    }
  };
  t.transcript = (now) => {
    t.heardAny = true;
    if (!audioStart || now < audioStart) return;
    gap(Math.max(t.lastEvent, audioStart), Math.min(now, audioEnd));
    t.lastEvent = Math.max(t.lastEvent, now);
    if (!faultAt || now <= faultAt) t.warm = true;
    if (faultAt && t.heardAfterFault < 0 && now > faultAt) t.heardAfterFault = now - faultAt;
  };
  t.done = (async () => {
    try {
      for await (const event of t.stream) {
        if (process.env.FAULT_TRACE) console.error(performance.now().toFixed(0), event.type, event.alternatives?.[0]?.text);
        if (event.type === stt.SpeechEventType.INTERIM_TRANSCRIPT || event.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
          t.transcript(performance.now());
        }
        if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
          const meta = event.alternatives?.[0]?.metadata;
          if (meta && meta.bytes !== undefined) t.bytes += Number(meta.bytes);
        }
      }
      if (!t.ending) t.died = t.stream._failed ? 'failed' : 'closed';
    } catch (err) {
      t.died = `error: ${err?.message ?? err}`.slice(0, 60);
    }
    if (t.stream._failed && !t.died) t.died = 'failed';
  })();
  return t;
}

const all = Array.from({ length: streams }, () => open());
const lines = createInterface({ input: process.stdin });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await new Promise((resolve) => {
  lines.on('line', (line) => {
    if (line.trim() === 'go') resolve();
    if (line.trim() === 'fault') faultAt = performance.now();
  });
});

audioT0 = performance.now() + 20;
let audioEndAt = Infinity;
console.log('started');
if (process.env.FAULT_TRACE) console.error(performance.now().toFixed(0), 'started');
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const now = performance.now();
    if (now < audioT0) return;
    // the warm-up's end: the measured window starts, and the audio lasts SECONDS - WARMUP more
    if (!audioStart && ((now >= audioT0 + warmup * 1000 && all.every((t) => t.heardAny || t.died))
        || now >= audioT0 + warmupMax * 1000)) {
      audioStart = now;
      audioEndAt = now + (seconds - warmup) * 1000;
      console.log('window');
    }
    const due = Math.floor((Math.min(now, audioEndAt) - audioT0) / frameMs) + 1;
    for (const t of all) {
      while (t.frames < due) {
        const f = frame(t.frames++);
        if (!t.died) {
          try {
            t.stream.pushFrame(f);
          } catch {
            // a closed stream refuses frames; its death is recorded by its reader
          }
        }
      }
    }
    if (now >= audioEndAt) {
      audioEnd = now;
      clearInterval(timer);
      resolve();
    }
  }, frameMs);
});

for (const t of all) {
  t.ending = true;
  if (t.died) continue;
  try {
    t.stream.flush();
    t.stream.endInput();
  } catch {
    // already closed
  }
}
// a stream still on a silent connection never gets its last final: 30 s, then the figures as they are
await Promise.race([Promise.all(all.map((t) => t.done)), sleep(30_000)]);

const result = {
  node: process.version,
  sttErrors,
  stray,
  streamsWithEveryByte: all.filter((t) => !t.died && t.bytes === t.frames * frameSamples * 2).length,
  streams: all.map((t) => {
    // the gap up to the end of the audio, if no event came after it
    if (t.lastEvent < audioEnd) {
      const from = Math.max(t.lastEvent, audioStart);
      if (audioEnd - from > t.longest) {
        t.longest = audioEnd - from;
        t.longestFrom = from;
      }
    }
    return {
      longestMs: t.longest,
      longestFromMs: t.longestFrom - audioStart,
      heardAfterFaultMs: t.heardAfterFault < 0 ? null : t.heardAfterFault,
      died: t.died,
      warm: t.warm,
    };
  }),
};
console.log(JSON.stringify(result));
process.exit(0);
