/*
 * AudioWorklet processor: the microphone at the AudioContext's rate (44.1 or 48 kHz) in,
 * 16 kHz pcm_s16le mono out, posted to the page in 100 ms frames, plus a level for the meter.
 *
 * Downsampling: a windowed-sinc low-pass (cut at 7 kHz, below the 8 kHz Nyquist frequency of the
 * output) on every input sample, then linear interpolation at the output instants (the ratio is
 * not an integer at 44.1 kHz).
 */
class Pcm16kProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.outRate = opts.outRate || 16000;
    this.frameSamples = Math.round(this.outRate * (opts.frameMs || 100) / 1000);
    this.step = sampleRate / this.outRate;            // input samples per output sample
    this.taps = Pcm16kProcessor.lowPass(63, 7000 / sampleRate);
    this.history = new Float32Array(this.taps.length);
    this.historyPos = 0;
    this.inputIndex = 0;        // index of the next input sample
    this.nextOut = 1;           // input-sample position of the next output sample
    this.prev = 0;              // filtered value at inputIndex - 2
    this.cur = 0;               // filtered value at inputIndex - 1
    this.frame = new Int16Array(this.frameSamples);
    this.framePos = 0;
    this.levelSum = 0;
    this.levelPeak = 0;
    this.levelCount = 0;
    this.levelEvery = Math.round(sampleRate / 20);   // 50 ms
    this.port.onmessage = (e) => {
      if (e.data === 'flush') {
        this.postFrame();
        this.port.postMessage({ type: 'flushed' });
      }
    };
  }

  /** Blackman-windowed sinc, cutoff as a fraction of the input rate, unit gain at DC. */
  static lowPass(length, cutoff) {
    const taps = new Float32Array(length);
    const mid = (length - 1) / 2;
    let sum = 0;
    for (let i = 0; i < length; i++) {
      const x = i - mid;
      const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      const w = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (length - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (length - 1));
      taps[i] = sinc * w;
      sum += taps[i];
    }
    for (let i = 0; i < length; i++) {
      taps[i] /= sum;
    }
    return taps;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) {
      return true;
    }
    const channel = input[0];
    const n = this.taps.length;
    for (let i = 0; i < channel.length; i++) {
      const s = channel[i];
      this.level(s);
      this.history[this.historyPos] = s;
      this.historyPos = (this.historyPos + 1) % n;
      let acc = 0;
      let h = this.historyPos;   // oldest sample
      for (let k = n - 1; k >= 0; k--) {
        acc += this.taps[k] * this.history[h];
        h = h + 1 === n ? 0 : h + 1;
      }
      this.prev = this.cur;
      this.cur = acc;
      this.inputIndex++;
      // output instants between the previous and this filtered sample
      while (this.nextOut <= this.inputIndex - 1) {
        const frac = this.nextOut - (this.inputIndex - 2);
        this.push(this.prev + (this.cur - this.prev) * frac);
        this.nextOut += this.step;
      }
    }
    return true;
  }

  push(value) {
    const v = Math.max(-1, Math.min(1, value));
    this.frame[this.framePos++] = v < 0 ? Math.round(v * 32768) : Math.round(v * 32767);
    if (this.framePos === this.frameSamples) {
      this.postFrame();
    }
  }

  postFrame() {
    if (this.framePos === 0) {
      return;
    }
    const pcm = this.frame.slice(0, this.framePos);
    this.port.postMessage({ type: 'pcm', pcm }, [pcm.buffer]);
    this.framePos = 0;
  }

  level(s) {
    this.levelSum += s * s;
    const a = Math.abs(s);
    if (a > this.levelPeak) {
      this.levelPeak = a;
    }
    if (++this.levelCount >= this.levelEvery) {
      this.port.postMessage({ type: 'level', rms: Math.sqrt(this.levelSum / this.levelCount), peak: this.levelPeak });
      this.levelSum = 0;
      this.levelPeak = 0;
      this.levelCount = 0;
    }
  }
}

registerProcessor('pcm-16k', Pcm16kProcessor);
