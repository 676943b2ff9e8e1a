#!/usr/bin/env python3
"""Transcribe a WAV file from outside the JVM, through the TCP event-bus bridge of a node.

    scripts/bridge-client.py [--host 127.0.0.1] [--port 7000] [--fast] [--interim] [--json] [--resumable]
                             [--token JWT] [--tls [--ca cert.pem]] file.wav

Python 3 standard library only. Speaks the bridge's framing (a 4-byte big-endian length, then a
JSON object {"type": "send"|"register"|..., "address", "body", "replyAddress"}) and the event-bus
contract of docs/event-bus.md: it registers for the session's events, opens the session with
stt.open, streams the audio as {"audio": base64} requests (real time, or as fast as the node takes
it with --fast, keeping a few unanswered), asks for "end", prints the transcripts, and exits 0 once
the "closed" event says the session ended normally.

With --resumable the session is opened with "resumable": true: its front stays on the node of this
bridge and recognition moves to another node if the one serving it dies, without a refused chunk
(a "recognition_moved" event says so).

With --token (or STT_BRIDGE_TOKEN) every frame carries "Authorization: Bearer <jwt>" in its headers,
as a bridge with bridge.auth requires; --tls speaks TLS to a bridge with bridge.tls (--ca names the
certificate to trust instead of the system's). A frame the bridge refuses ends the run with its
"access_denied".
"""
import argparse
import base64
import json
import os
import queue
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
import wave
from array import array

CHUNK_MS = 100
WINDOW = 4


class Bridge:
    """One TCP connection to the bridge: a writer, and a reader thread that sorts frames."""

    def __init__(self, host, port, timeout, token=None, tls=False, ca=None):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.tls = tls
        if tls:
            context = ssl.create_default_context(cafile=ca)
            self.sock = context.wrap_socket(self.sock, server_hostname=host)
            # an SSL connection must not be read and written by two threads at once (OpenSSL's
            # object is not thread-safe): both hold this lock, and the reader waits in short slices
            self.sock.settimeout(0.01)
        else:
            self.sock.settimeout(None)
        self.io = threading.Lock()
        self.headers = {"Authorization": "Bearer " + token} if token else None
        self.denied = None
        self.lock = threading.Lock()
        self.replies = {}
        self.events = queue.Queue()
        self.reply_ready = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def frame(self, obj):
        if self.headers:
            obj["headers"] = self.headers
        data = json.dumps(obj).encode("utf-8")
        with self.lock:
            if self.tls:
                with self.io:
                    self.sock.settimeout(None)
                    try:
                        self.sock.sendall(struct.pack(">I", len(data)) + data)
                    finally:
                        self.sock.settimeout(0.01)
            else:
                self.sock.sendall(struct.pack(">I", len(data)) + data)

    def register(self, address):
        self.frame({"type": "register", "address": address})

    def request(self, address, body):
        reply_address = "py." + uuid.uuid4().hex
        self.frame({"type": "send", "address": address, "body": body, "replyAddress": reply_address})
        return reply_address

    def wait_reply(self, reply_address, timeout):
        deadline = time.monotonic() + timeout
        with self.reply_ready:
            while reply_address not in self.replies:
                if self.denied:
                    sys.exit("the bridge refused a frame: %s" % self.denied.get("message"))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no reply within %.0f s" % timeout)
                self.reply_ready.wait(left)
            return self.replies.pop(reply_address)

    def done(self, reply_address):
        with self.reply_ready:
            return reply_address in self.replies

    def _read(self):
        try:
            while True:
                header = self._exactly(4)
                (length,) = struct.unpack(">I", header)
                msg = json.loads(self._exactly(length).decode("utf-8"))
                address = msg.get("address", "")
                if msg.get("type") == "err" and not address:
                    with self.reply_ready:
                        self.denied = msg
                        self.reply_ready.notify_all()
                    self.events.put({"type": "bridge_error", "error": msg})
                elif address.startswith("py."):
                    with self.reply_ready:
                        self.replies[address] = msg
                        self.reply_ready.notify_all()
                elif msg.get("type") == "message":
                    self.events.put(msg.get("body") or {})
                elif msg.get("type") == "err":
                    self.events.put({"type": "bridge_error", "error": msg})
        except (OSError, ValueError) as e:
            self.events.put({"type": "bridge_error", "error": {"message": "connection lost: %s" % e}})

    def _recv(self, n):
        if not self.tls:
            return self.sock.recv(n)
        while True:
            with self.io:
                try:
                    return self.sock.recv(n)
                except (socket.timeout, ssl.SSLWantReadError):
                    pass
            time.sleep(0.001)  # let a writer take the connection

    def _exactly(self, n):
        data = b""
        while len(data) < n:
            part = self._recv(n - len(data))
            if not part:
                raise OSError("the bridge closed the connection")
            data += part
        return data


def read_wav(path):
    """pcm_s16le mono bytes and the sample rate (stereo is averaged)."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            sys.exit("%s: only 16-bit PCM WAV is supported" % path)
        rate, channels = w.getframerate(), w.getnchannels()
        frames = w.readframes(w.getnframes())
    if channels == 1:
        return frames, rate
    samples = array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    mono = array("h", (sum(samples[i:i + channels]) // channels for i in range(0, len(samples), channels)))
    if sys.byteorder == "big":
        mono.byteswap()
    return mono.tobytes(), rate


def show(event, args):
    kind = event.get("type")
    if args.json:
        print(json.dumps(event), flush=True)
        return
    alternatives = event.get("alternatives") or [{}]
    best = alternatives[0]
    if kind == "final_transcript" and best.get("text"):
        print("[%6.2f-%6.2f] %s" % (best.get("startTime", 0), best.get("endTime", 0), best.get("text", "")),
              flush=True)
    elif kind == "interim_transcript" and args.interim:
        print("           ... %s" % best.get("text", ""), flush=True)
    elif kind == "error" or kind == "bridge_error":
        print("error: %s" % json.dumps(event.get("error")), file=sys.stderr, flush=True)
    elif kind == "recognition_moved":
        print("# recognition moved from node %s to node %s (%s), %d bytes replayed, %d lost"
              % (event.get("previousNode"), event.get("node"), event.get("reason"), event.get("replayedBytes") or 0,
                 event.get("lostBytes") or 0), file=sys.stderr, flush=True)
    elif kind == "closed":
        print("# closed (%s) after %.2f s of audio" % (event.get("reason"), event.get("audioSeconds") or 0),
              file=sys.stderr, flush=True)


def drain_events(bridge, args, wait):
    """Prints the events received so far (waiting up to `wait` s for one); the closed event if seen."""
    closed = None
    try:
        event = bridge.events.get(timeout=wait) if wait > 0 else bridge.events.get_nowait()
        while True:
            show(event, args)
            if event.get("type") == "closed":
                closed = event
            if event.get("type") == "bridge_error" and "connection lost" in event["error"].get("message", ""):
                raise SystemExit(1)
            event = bridge.events.get_nowait()
    except queue.Empty:
        pass
    return closed


def fail_of(reply):
    if reply.get("type") == "err":
        return "%s (failureCode %s)" % (reply.get("message"), reply.get("failureCode"))
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        prog="scripts/bridge-client.py",
        description="Transcribes a WAV file (16-bit PCM, any rate, mono or stereo) from outside the JVM, through the "
                    "TCP event-bus bridge of a node (scripts/node --bridge-port PORT), printing the final transcripts; "
                    "exits 0 once the session ended normally.")
    parser.add_argument("wav", nargs="?", default=os.path.join(here, "samples", "slt-16k-mono.wav"),
                        help="the recording (default scripts/samples/slt-16k-mono.wav)")
    parser.add_argument("--host", default=os.environ.get("STT_BRIDGE_HOST", "127.0.0.1"),
                        help="the bridge's address (default STT_BRIDGE_HOST, else 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("STT_BRIDGE_PORT", "7000")),
                        help="the bridge's port (default STT_BRIDGE_PORT, else 7000)")
    parser.add_argument("--prefix", default="stt", help="the stt verticle's address prefix (default stt)")
    parser.add_argument("--model", help="the model, provider/model[:language] (default: the node's)")
    parser.add_argument("--language", help="the language (default: the node's)")
    parser.add_argument("--fast", action="store_true", help="send as fast as the node takes it (default: real time)")
    parser.add_argument("--interim", action="store_true", help="also print interim transcripts")
    parser.add_argument("--json", action="store_true", help="print every event as JSON")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for any reply (default 60)")
    parser.add_argument("--resumable", action="store_true",
                        help="keep the session when the node recognizing it dies (front on this bridge's node)")
    parser.add_argument("--token", default=os.environ.get("STT_BRIDGE_TOKEN"),
                        help="a JWT for a bridge with bridge.auth (default STT_BRIDGE_TOKEN)")
    parser.add_argument("--tls", action="store_true", help="speak TLS to a bridge with bridge.tls")
    parser.add_argument("--ca", help="with --tls: a PEM certificate to trust instead of the system's")
    args = parser.parse_args()
    if not os.path.isfile(args.wav):
        parser.error("no such file: %s" % args.wav)
    if args.timeout <= 0:
        parser.error("--timeout needs a number above 0, not %s" % args.timeout)

    pcm, rate = read_wav(args.wav)
    try:
        bridge = Bridge(args.host, args.port, args.timeout, args.token, args.tls, args.ca)
    except (OSError, ssl.SSLError) as e:
        sys.exit("cannot reach the bridge: %s" % e)
    session_id = "py_" + uuid.uuid4().hex[:20]
    events_address = "%s.session.%s.events" % (args.prefix, session_id)
    bridge.register(events_address)

    request = {"sampleRate": rate, "sessionId": session_id}
    if args.model:
        request["model"] = args.model
    if args.language:
        request["language"] = args.language
    if args.resumable:
        request["resumable"] = True
    reply = bridge.wait_reply(bridge.request(args.prefix + ".open", request), args.timeout)
    if fail_of(reply):
        sys.exit("open failed: " + fail_of(reply))
    session = reply["body"]
    front = ", front on node %s" % session["frontNode"] if session.get("frontNode") else ""
    print("# session %s on node %s%s, %.2f s of audio at %d Hz" % (session["sessionId"], session["node"], front,
                                                                  len(pcm) / 2.0 / rate, rate), file=sys.stderr,
          flush=True)

    chunk = rate * CHUNK_MS // 1000 * 2
    in_flight = []
    start = time.monotonic()
    for offset in range(0, len(pcm), chunk):
        if not args.fast:
            due = start + (offset // chunk) * CHUNK_MS / 1000.0
            while time.monotonic() < due:
                drain_events(bridge, args, min(0.02, max(0.0, due - time.monotonic())))
        while len(in_flight) >= WINDOW:
            reply = bridge.wait_reply(in_flight.pop(0), args.timeout)
            if fail_of(reply):
                sys.exit("audio refused: " + fail_of(reply))
        audio = base64.b64encode(pcm[offset:offset + chunk]).decode("ascii")
        in_flight.append(bridge.request(session["audioAddress"], {"audio": audio}))
        drain_events(bridge, args, 0)
    for pending in in_flight:
        reply = bridge.wait_reply(pending, args.timeout)
        if fail_of(reply):
            sys.exit("audio refused: " + fail_of(reply))

    end = bridge.request(session["controlAddress"], {"action": "end"})
    deadline = time.monotonic() + args.timeout
    closed = None
    while closed is None and time.monotonic() < deadline:
        closed = drain_events(bridge, args, 0.2)
    if closed is None:
        sys.exit("no closed event within %.0f s" % args.timeout)
    reply = bridge.wait_reply(end, args.timeout)
    if fail_of(reply):
        sys.exit("end failed: " + fail_of(reply))
    sys.exit(0 if closed.get("reason") == "ended" else 1)


if __name__ == "__main__":
    main()
