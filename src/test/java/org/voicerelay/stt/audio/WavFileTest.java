package org.voicerelay.stt.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavFileTest {

  private static final int PCM = 1;
  private static final int FLOAT = 3;
  private static final int EXTENSIBLE = 0xFFFE;
  private static final Path SAMPLES = Path.of("scripts", "samples");

  @Test
  void monoSixteenBitPcmIsReadAsIs() {
    byte[] pcm = samples(1, -2, 300, -32768, 32767);
    WavFile wav = WavFile.parse(wav(fmt(PCM, 1, 22050, 16), pcm));
    assertEquals(22050, wav.sampleRate());
    assertEquals(1, wav.channels());
    assertArrayEquals(pcm, wav.pcm());
  }

  @Test
  void stereoIsAveragedToMono() {
    WavFile wav = WavFile.parse(wav(fmt(PCM, 2, 44100, 16), samples(100, 300, -32768, -32768, 32767, 32767)));
    assertEquals(2, wav.channels());
    assertArrayEquals(samples(200, -32768, 32767), wav.pcm());
  }

  @Test
  void durationIsMonoSamplesOverRate() {
    WavFile wav = WavFile.parse(wav(fmt(PCM, 2, 8000, 16), new byte[8000 * 4]));
    assertEquals(1.0, wav.durationSeconds(), 1e-9);
  }

  @Test
  void unknownChunksAreSkippedIncludingTheirPadByte() {
    byte[] pcm = samples(7, 8);
    WavFile wav = WavFile.parse(concat(header(), chunk("LIST", new byte[3]), fmt(PCM, 1, 16000, 16),
        chunk("fact", new byte[4]), chunk("data", pcm)));
    assertArrayEquals(pcm, wav.pcm());
  }

  @Test
  void extensibleFormatWithThePcmSubFormatIsAccepted() {
    byte[] pcm = samples(5, -5);
    WavFile wav = WavFile.parse(wav(extensible(PCM, 1, 48000, 16), pcm));
    assertEquals(48000, wav.sampleRate());
    assertArrayEquals(pcm, wav.pcm());
  }

  @Test
  void aVertxBufferParsesLikeItsBytes() {
    byte[] pcm = samples(1, 2, 3);
    assertArrayEquals(pcm, WavFile.parse(Buffer.buffer(wav(fmt(PCM, 1, 16000, 16), pcm))).pcm());
  }

  @Test
  void eightBitPcmIsRefusedNamingItsSampleSize() {
    assertRefused(wav(fmt(PCM, 1, 8000, 8), new byte[8]), "8-bit");
  }

  @Test
  void twentyFourBitPcmIsRefusedNamingItsSampleSize() {
    assertRefused(wav(fmt(PCM, 1, 48000, 24), new byte[6]), "24-bit");
  }

  @Test
  void floatIsRefusedNamingTheEncoding() {
    assertRefused(wav(fmt(FLOAT, 1, 48000, 32), new byte[8]), "32-bit IEEE float");
  }

  @Test
  void extensibleFloatIsRefusedNamingTheEncoding() {
    assertRefused(wav(extensible(FLOAT, 2, 48000, 32), new byte[16]), "IEEE float");
  }

  @Test
  void compressedAudioIsRefusedNamingItsFormatTag() {
    assertRefused(wav(fmt(0x0055, 1, 44100, 0), new byte[8]), "0x0055");
  }

  @Test
  void moreThanTwoChannelsAreRefused() {
    assertRefused(wav(fmt(PCM, 6, 48000, 16), new byte[12]), "channel count: 6");
  }

  @Test
  void aDataChunkLongerThanTheFileIsRefusedAsTruncated() {
    byte[] whole = wav(fmt(PCM, 1, 16000, 16), new byte[100]);
    assertRefused(Arrays.copyOf(whole, whole.length - 10), "truncated");
  }

  @Test
  void aHalfFrameOfStereoIsRefusedAsTruncated() {
    assertRefused(wav(fmt(PCM, 2, 16000, 16), new byte[6]), "truncated");
  }

  @Test
  void aFileWithoutDataIsRefused() {
    assertRefused(concat(header(), fmt(PCM, 1, 16000, 16)), "no data chunk");
  }

  @Test
  void somethingOtherThanRiffIsRefusedShowingItsFirstBytes() {
    assertRefused("ID3\u0004 not a wave file".getBytes(StandardCharsets.ISO_8859_1), "\"ID3\\x04");
  }

  @Test
  void everyBundledSampleIsReadableAtItsDocumentedFormat() throws IOException {
    assertFormat("slt-16k-mono.wav", 16000, 1);
    assertFormat("rms-48k-mono.wav", 48000, 1);
    assertFormat("awb-44k-stereo.wav", 44100, 2);
    assertFormat("slt-8k-mono.wav", 8000, 1);
    assertFormat("rms-long-16k-mono.wav", 16000, 1);
    assertFormat("alsa-front-center-48k-mono.wav", 48000, 1);
    assertFormat("alsa-speaker-test-16k-mono.wav", 16000, 1);
  }

  private static void assertFormat(String name, int rate, int channels) throws IOException {
    WavFile wav = WavFile.parse(Files.readAllBytes(SAMPLES.resolve(name)));
    assertEquals(rate, wav.sampleRate(), name);
    assertEquals(channels, wav.channels(), name);
    assertTrue(wav.durationSeconds() > 1, name);
  }

  private static void assertRefused(byte[] file, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WavFile.parse(file));
    assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage());
  }

  private static byte[] wav(byte[] fmt, byte[] data) {
    return concat(header(), fmt, chunk("data", data));
  }

  private static byte[] header() {
    // the RIFF size is not checked, as many writers get it wrong
    return concat("RIFF".getBytes(StandardCharsets.US_ASCII), le(0, 4), "WAVE".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] fmt(int tag, int channels, int rate, int bits) {
    int block = channels * Math.max(1, bits / 8);
    return chunk("fmt ", concat(le(tag, 2), le(channels, 2), le(rate, 4), le(rate * block, 4), le(block, 2),
        le(bits, 2)));
  }

  private static byte[] extensible(int subFormat, int channels, int rate, int bits) {
    int block = channels * bits / 8;
    byte[] guidTail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
        (byte) 0x9B, 0x71};
    return chunk("fmt ", concat(le(EXTENSIBLE, 2), le(channels, 2), le(rate, 4), le(rate * block, 4), le(block, 2),
        le(bits, 2), le(22, 2), le(bits, 2), le(channels == 1 ? 4 : 3, 4), le(subFormat, 2), guidTail));
  }

  private static byte[] chunk(String id, byte[] body) {
    byte[] pad = new byte[body.length & 1];
    return concat(id.getBytes(StandardCharsets.US_ASCII), le(body.length, 4), body, pad);
  }

  private static byte[] samples(int... values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      out.putShort((short) v);
    }
    return out.array();
  }

  private static byte[] le(long value, int bytes) {
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (value >> (8 * i));
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
