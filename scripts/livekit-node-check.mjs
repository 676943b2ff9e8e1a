// Streams audio through LiveKit's own Node client (@livekit/agents inference.STT) to the local
// gateway and checks the final transcript. Run by scripts/livekit-node-check, which installs the
// packages into LK_NODE_DIR and starts the gateway.
//
// env: LK_NODE_DIR, GATEWAY_BASE_URL (http://127.0.0.1:PORT/v1), LIVEKIT_API_KEY,
//      LIVEKIT_API_SECRET, CHECK_ENGINE (counting | sphinx4), CHECK_WAV (16 kHz mono pcm_s16le)
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { answerCommandLine } from './lib/cli.mjs';

answerCommandLine('livekit-node-check.mjs', `usage: node scripts/livekit-node-check.mjs
Streams a recording through LiveKit's own Node client (@livekit/agents inference.STT) to a running
gateway and checks the final transcript; prints PASS or FAIL. Run by scripts/livekit-node-check,
which installs the packages and starts the gateway. Takes no options; the environment:
  LK_NODE_DIR          the directory holding node_modules/@livekit/agents and @livekit/rtc-node
  GATEWAY_BASE_URL     the gateway, http://127.0.0.1:PORT/v1
  LIVEKIT_API_KEY, LIVEKIT_API_SECRET   the gateway's credentials
  CHECK_ENGINE         counting (exact frames, bytes and checksum) or sphinx4 (the words)
  CHECK_WAV            a 16 kHz mono 16-bit WAV (default: 2 s of a 440 Hz tone)`);

const require = createRequire(join(process.env.LK_NODE_DIR, 'package.json'));
const { inference, stt, initializeLogger } = require('@livekit/agents');
const { AudioFrame } = require('@livekit/rtc-node');

const SAMPLE_RATE = 16000;
const CHUNK_SAMPLES = SAMPLE_RATE / 20; // the client re-cuts input into 50 ms chunks
const engine = process.env.CHECK_ENGINE || 'counting';

initializeLogger({ pretty: false, level: 'warn' });

// @livekit/agents 1.9.0 on Node 20: a frame that arrives after the client closed its event
// channel (here: the gateway's session.closed, its protocol answer to session.close) makes Node's
// WritableStream throw ERR_INTERNAL_ASSERTION synchronously inside the ws 'message' handler, where
// the client only expects a rejected promise. Report it and go on; anything else is fatal.
process.on('uncaughtException', (err) => {
  if (err?.code === 'ERR_INTERNAL_ASSERTION' && String(err.stack).includes('stream_channel')) {
    console.log('note: client bug: a frame after session.close hit a closed stream channel '
      + '(Node ' + process.version + ' WritableStream assertion); ignored');
    return;
  }
  console.log('FAIL: uncaught', err);
  process.exit(1);
});

/** Levenshtein distance over words. */
function wordErrors(ref, hyp) {
  let row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const next = [i];
    for (let j = 1; j <= hyp.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[hyp.length];
}

/** 16 kHz mono pcm_s16le samples: the WAV's data chunk, or 2 s of a 440 Hz tone. */
function loadAudio(path) {
  if (path && existsSync(path)) {
    const wav = readFileSync(path);
    const channels = wav.readUInt16LE(22);
    const rate = wav.readUInt32LE(24);
    const bits = wav.readUInt16LE(34);
    if (channels !== 1 || rate !== SAMPLE_RATE || bits !== 16) {
      throw new Error(`${path}: need 16 kHz mono 16-bit, got ${rate} Hz, ${channels} ch, ${bits} bit`);
    }
    let offset = 12;
    while (offset + 8 <= wav.length) {
      const id = wav.toString('ascii', offset, offset + 4);
      const size = wav.readUInt32LE(offset + 4);
      if (id === 'data') {
        const data = wav.subarray(offset + 8, offset + 8 + size);
        return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      }
      offset += 8 + size + (size & 1);
    }
    throw new Error(`${path}: no data chunk`);
  }
  const samples = new Int16Array(SAMPLE_RATE * 2);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE));
  }
  return samples;
}

const samples = loadAudio(process.env.CHECK_WAV);
const pcm = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
const expectedFrames = Math.ceil(samples.length / CHUNK_SAMPLES);
const expectedText = `frames ${expectedFrames} bytes ${pcm.length}`;
const expectedChecksum = crc32(pcm);

const sttClient = new inference.STT({
  model: 'deepgram/nova-3',
  language: 'en',
  baseURL: process.env.GATEWAY_BASE_URL,
  apiKey: process.env.LIVEKIT_API_KEY,
  apiSecret: process.env.LIVEKIT_API_SECRET,
});
const stream = sttClient.stream();

const startedAt = Date.now();
const finals = [];
const watchdog = setTimeout(() => {
  console.log('FAIL: no end of stream within 90 s');
  process.exit(1);
}, 90_000);

let firstEvent;
const firstEventSeen = new Promise((resolve) => { firstEvent = resolve; });
const reader = (async () => {
  for await (const event of stream) {
    firstEvent();
    const name = stt.SpeechEventType[event.type] ?? event.type;
    const alt = event.alternatives?.[0];
    const detail = alt
      ? ` text=${JSON.stringify(alt.text)} language=${alt.language} start=${alt.startTime} end=${alt.endTime}` +
        (alt.metadata ? ` extra=${JSON.stringify(alt.metadata)}` : '')
      : event.recognitionUsage ? ` audioDuration=${event.recognitionUsage.audioDuration}` : '';
    console.log(`+${String(Date.now() - startedAt).padStart(5)} ms ${name}${detail}`);
    if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
      finals.push(alt);
    }
  }
})();

// Pushed in 100 ms frames, faster than real time. Halfway, once the gateway has answered (so the
// socket is open), the language changes: the client sends session.update. The counting engine takes
// any language; Sphinx4 recognizes English only (another language is error 4010), so it gets en-GB.
const NEXT_LANGUAGE = engine === 'counting' ? 'fr' : 'en-GB';
const FRAME = SAMPLE_RATE / 10;
const half = Math.floor(samples.length / FRAME / 2) * FRAME;
for (let i = 0; i < samples.length; i += FRAME) {
  if (i === half) {
    await firstEventSeen;
    sttClient.updateOptions({ language: NEXT_LANGUAGE });
  }
  const chunk = samples.slice(i, Math.min(i + FRAME, samples.length));
  stream.pushFrame(new AudioFrame(chunk, SAMPLE_RATE, 1, chunk.length));
  await new Promise((resolve) => setTimeout(resolve, 5));
}
// endInput() alone drops the last partial 50 ms chunk in this client (only a flush sends it).
stream.flush();
stream.endInput();
await reader;
clearTimeout(watchdog);

const final = finals.at(-1);
let ok;
if (engine === 'counting') {
  console.log(`expected: ${JSON.stringify(expectedText)} checksum=${expectedChecksum} language=fr`);
  ok = finals.length === 1 && final.text === expectedText
    && final.metadata?.checksum === expectedChecksum && final.language === 'fr';
} else {
  const said = finals.map((f) => f.text).join(' ').trim().split(/\s+/).filter(Boolean);
  const reference = JSON.parse(readFileSync(join(process.env.CHECK_WAV, '..', 'transcripts.json'), 'utf8'))[
    process.env.CHECK_WAV.split('/').at(-1)]?.split(' ') ?? [];
  const errors = wordErrors(reference, said);
  const wer = reference.length ? errors / reference.length : 1;
  console.log(`reference: ${JSON.stringify(reference.join(' '))} wer=${wer.toFixed(2)}`);
  ok = said.length > 0 && wer <= 0.5;
}
console.log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);
