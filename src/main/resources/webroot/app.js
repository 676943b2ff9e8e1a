/*
 * The page: microphone -> AudioWorklet (16 kHz pcm_s16le) -> base64 JSON audio over the SockJS
 * event-bus bridge to the stt session, transcripts back as events. Audio goes as request/reply
 * with at most WINDOW chunks unanswered (the flow-control window of the bus contract); chunks wait
 * in a queue while the window is full, none is dropped.
 */
(function () {
  'use strict';

  var PREFIX = 'stt';
  var RATE = 16000;
  var WINDOW = 4;               // unanswered audio chunks (100 ms each)
  var WARN_BACKLOG = 20;        // 2 s of audio waiting: tell the user
  var MAX_BACKLOG = 300;        // 30 s waiting: stop instead of growing without bound

  var startButton = document.getElementById('start');
  var stopButton = document.getElementById('stop');
  var meter = document.getElementById('meter-level');
  var statusLine = document.getElementById('status');
  var messages = document.getElementById('messages');
  var finals = document.getElementById('finals');
  var interim = document.getElementById('interim');

  var eb = null;
  var connected = false;
  var state = 'idle';           // idle | starting | running | stopping
  var capture = null;           // { stream, context, source, node }
  var session = null;           // the open reply
  var queue = [];               // base64 chunks not yet sent
  var inFlight = 0;
  var endSent = false;
  var chunksAnswered = 0;

  // ------------------------------------------------------------------ messages and status

  function message(key, text, level) {
    var el = messages.querySelector('[data-key="' + key + '"]');
    if (!text) {
      if (el) { el.remove(); }
      return;
    }
    if (!el) {
      el = document.createElement('p');
      el.dataset.key = key;
      messages.appendChild(el);
    }
    el.className = 'message ' + (level || 'error');
    el.textContent = text;
  }

  function clearMessages() {
    messages.textContent = '';
  }

  function setState(next, text) {
    state = next;
    statusLine.dataset.state = next;
    statusLine.textContent = text;
    startButton.disabled = !(connected && next === 'idle');
    stopButton.disabled = !(next === 'starting' || next === 'running');
  }

  function failureText(err) {
    var code = err && err.failureCode;
    var detail = (err && (err.message || err.body)) || 'unknown error';
    switch (code) {
      case 429: return 'Too many sessions: ' + detail + '. Close another session or try again later.';
      case 430: return 'Too many sessions for this page: ' + detail + '. Close another session first.';
      case 503: return 'The transcription service is not available: ' + detail + '.';
      case 502: return 'The transcription gateway failed: ' + detail + '.';
      case 507: return 'The transcription gateway is slower than the audio: ' + detail + '.';
      case 410: return 'The session has ended: ' + detail + '.';
      default: return 'The server refused the request (' + (code === undefined ? 'no code' : code) + '): ' + detail + '.';
    }
  }

  // ------------------------------------------------------------------ the bridge

  function connect() {
    eb = new EventBus('/eventbus');
    eb.enableReconnect(true);
    eb.onopen = function () {
      connected = true;
      message('connection', null);
      if (state === 'idle') { setState('idle', 'Ready'); }
    };
    eb.onreconnect = function () {
      message('connection', 'Connected to the server again. Press Start to go on.', 'info');
    };
    eb.onclose = function () {
      var wasBusy = state !== 'idle';
      connected = false;
      if (wasBusy) {
        message('connection', 'The connection to the server was lost; the recording stopped. '
          + 'Press Start again once it is back.');
        teardownCapture();
        session = null;
      } else {
        message('connection', 'The connection to the server was lost. Reconnecting…');
      }
      setState('idle', 'Disconnected');
    };
    eb.onerror = function (err) {
      // err frames that answer no request: the bridge refused a message
      message('bridge', 'The server refused a message: ' + ((err && (err.body || err.message)) || 'unknown') + '.');
    };
  }

  // ------------------------------------------------------------------ start

  function start() {
    clearMessages();
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      message('mic', 'The microphone is only available to pages served over https or from localhost.');
      return;
    }
    if (!connected) {
      message('connection', 'Not connected to the server yet.');
      return;
    }
    setState('starting', 'Starting…');
    queue = [];
    inFlight = 0;
    endSent = false;
    chunksAnswered = 0;
    interim.textContent = '';
    navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false }
    }).then(startCapture, function (err) {
      var name = err && err.name;
      if (name === 'NotAllowedError' || name === 'SecurityError') {
        message('mic', 'Microphone access was refused. Allow the microphone for this page and press Start again.');
      } else if (name === 'NotFoundError' || name === 'OverconstrainedError') {
        message('mic', 'No microphone was found.');
      } else if (name === 'NotReadableError') {
        message('mic', 'The microphone cannot be read: another program may be using it.');
      } else {
        message('mic', 'The microphone could not be opened: ' + (err && err.message) + '.');
      }
      setState('idle', 'Ready');
    });
  }

  function startCapture(stream) {
    var context = new AudioContext();
    capture = { stream: stream, context: context, source: null, node: null };
    context.audioWorklet.addModule('pcm-worklet.js').then(function () {
      if (!capture || capture.context !== context) { return; }
      var node = new AudioWorkletNode(context, 'pcm-16k', {
        numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit',
        processorOptions: { outRate: RATE, frameMs: 100 }
      });
      node.port.onmessage = onWorkletMessage;
      var source = context.createMediaStreamSource(stream);
      source.connect(node);
      node.connect(context.destination);    // the node outputs silence; connected so it is pulled
      capture.source = source;
      capture.node = node;
      statusLine.dataset.contextRate = String(context.sampleRate);
      openSession();
    }).catch(function (err) {
      message('mic', 'The audio processing could not start: ' + (err && err.message) + '.');
      teardownCapture();
      setState('idle', 'Ready');
    });
  }

  function openSession() {
    eb.send(PREFIX + '.open', { sampleRate: RATE }, function (err, reply) {
      if (err) {
        message('session', failureText(err));
        teardownCapture();
        setState('idle', 'Ready');
        return;
      }
      session = reply.body;
      statusLine.dataset.sessionId = session.sessionId;
      eb.registerHandler(session.eventsAddress, onEvent);
      // events published before the registration reached the server are not replayed: ask once
      eb.send(session.controlAddress, { action: 'status' }, function (statusErr, status) {
        if (!statusErr && status.body.state === 'closed') {
          onClosed(status.body);
        }
      });
      if (state === 'starting') {
        setState('running', 'Listening');
      }
      pump();
    });
  }

  // ------------------------------------------------------------------ audio

  function onWorkletMessage(e) {
    var data = e.data;
    if (data.type === 'level') {
      var db = 20 * Math.log10(Math.max(data.rms, 1e-5));          // -100 .. 0 dBFS
      meter.style.width = Math.max(0, Math.min(100, (db + 60) * 100 / 60)) + '%';
    } else if (data.type === 'pcm') {
      if (state === 'starting' || state === 'running' || state === 'stopping') {
        queue.push(toBase64(data.pcm));
        checkBacklog();
        pump();
      }
    } else if (data.type === 'flushed') {
      teardownCapture();
      pump();
    }
  }

  function toBase64(pcm) {
    var bytes = new Uint8Array(pcm.length * 2);
    var view = new DataView(bytes.buffer);
    for (var i = 0; i < pcm.length; i++) {
      view.setInt16(i * 2, pcm[i], true);
    }
    var binary = '';
    for (var j = 0; j < bytes.length; j += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(j, j + 0x8000));
    }
    return btoa(binary);
  }

  function checkBacklog() {
    var seconds = (queue.length / 10).toFixed(1);
    if (queue.length > MAX_BACKLOG) {
      message('backlog', 'Stopped: the server has not kept up for ' + seconds + ' s of audio.');
      stop();
    } else if (queue.length > WARN_BACKLOG) {
      message('backlog', 'The server is slow: ' + seconds + ' s of audio are waiting to be sent.', 'warn');
    } else if (queue.length <= WINDOW) {
      message('backlog', null);
    }
  }

  function pump() {
    while (session && connected && inFlight < WINDOW && queue.length > 0) {
      var chunk = queue.shift();
      inFlight++;
      eb.send(session.audioAddress, { audio: chunk }, onAudioReply);
    }
    maybeEnd();
  }

  function onAudioReply(err) {
    inFlight--;
    chunksAnswered++;
    statusLine.dataset.audioSeconds = (chunksAnswered / 10).toFixed(1);
    if (err) {
      message('audio', failureText(err), err.failureCode === 507 ? 'warn' : 'error');
      if (err.failureCode !== 507) {
        queue = [];
        teardownCapture();
      }
    }
    checkBacklog();
    pump();
  }

  // ------------------------------------------------------------------ stop

  function stop() {
    if (state !== 'starting' && state !== 'running') { return; }
    setState('stopping', 'Finishing…');
    if (capture && capture.node) {
      capture.node.port.postMessage('flush');   // the last partial frame, then 'flushed'
    } else {
      teardownCapture();
      if (!session) { setState('idle', 'Ready'); }
    }
  }

  /** Once stopping and every chunk is answered: end the session, which delivers the last final. */
  function maybeEnd() {
    if (state !== 'stopping' || capture || endSent || !session || !connected || queue.length > 0 || inFlight > 0) {
      return;
    }
    endSent = true;
    eb.send(session.controlAddress, { action: 'end' }, function (err, reply) {
      if (err) {
        message('session', failureText(err));
      } else {
        message('session', 'Finished: ' + reply.body.audioSeconds.toFixed(1) + ' s of audio transcribed.', 'info');
      }
      endOfSession();
    });
  }

  function teardownCapture() {
    if (!capture) { return; }
    var c = capture;
    capture = null;
    c.stream.getTracks().forEach(function (t) { t.stop(); });
    if (c.source) { c.source.disconnect(); }
    if (c.node) { c.node.port.onmessage = null; c.node.disconnect(); }
    c.context.close();
    meter.style.width = '0';
  }

  function endOfSession() {
    if (session && connected) {
      try { eb.unregisterHandler(session.eventsAddress, onEvent); } catch (e) { /* closed meanwhile */ }
    }
    session = null;
    queue = [];
    teardownCapture();
    setState('idle', connected ? 'Ready' : 'Disconnected');
  }

  // ------------------------------------------------------------------ events

  function onEvent(err, msg) {
    if (err) {
      message('events', 'The transcripts cannot be received: ' + (err.message || err.body) + '.');
      return;
    }
    var event = msg.body;
    var alt = event.alternatives && event.alternatives[0];
    switch (event.type) {
      case 'interim_transcript':
      case 'preflight_transcript':
        interim.textContent = alt ? alt.text : '';
        break;
      case 'final_transcript':
        interim.textContent = '';
        if (alt && alt.text && alt.text.trim()) {
          appendFinal(alt);
        }
        break;
      case 'reconnecting':
        message('gateway', 'The transcription gateway is unreachable; retrying…', 'warn');
        break;
      case 'error':
        var e = event.error || {};
        message('gateway', (e.retryable ? 'The transcription gateway had a problem: ' : 'The transcription gateway failed: ')
          + (e.message || e.code) + '.', e.retryable ? 'warn' : 'error');
        break;
      case 'closed':
        onClosed(event);
        break;
      default:
        if (event.type === 'start_of_speech' || event.type === 'end_of_speech') {
          message('gateway', null);
        }
    }
  }

  function onClosed(event) {
    var why = {
      failed: 'The transcription gateway is down or refused the session' + (event.error ? ': ' + event.error.message : '') + '.',
      idle_timeout: 'The session ended after a pause without audio.',
      shutdown: 'The server is shutting down; the session ended.',
      closed: 'The session was closed.'
    }[event.reason];
    if (why && !(event.reason === 'closed' && state === 'stopping')) {
      message('session', why, event.reason === 'failed' ? 'error' : 'info');
    }
    if (state !== 'stopping' || !endSent) {
      endOfSession();
    }
  }

  function appendFinal(alt) {
    var li = document.createElement('li');
    li.className = 'final';
    var time = document.createElement('time');
    time.textContent = clock(alt.startTime) + ' – ' + clock(alt.endTime);
    time.title = 'received ' + new Date().toLocaleTimeString();
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = alt.text;
    li.appendChild(time);
    li.appendChild(text);
    finals.appendChild(li);
  }

  function clock(seconds) {
    var s = Math.max(0, Number(seconds) || 0);
    var m = Math.floor(s / 60);
    var rest = (s - m * 60).toFixed(1);
    return m + ':' + (rest < 10 ? '0' : '') + rest;
  }

  startButton.addEventListener('click', start);
  stopButton.addEventListener('click', stop);
  setState('idle', 'Connecting…');
  connect();
}());
