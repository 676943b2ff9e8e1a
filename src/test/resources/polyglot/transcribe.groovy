// A Groovy script verticle that uses the transcription service through the event bus alone:
// JSON objects and base64 strings, no Java class of this project. Config: pcmFile (16 kHz
// pcm_s16le), resultAddress (where the outcome is published).
import io.vertx.core.json.JsonObject

def config = vertx.getOrCreateContext().config()
def finals = []

vertx.fileSystem().readFile(config.getString('pcmFile')).compose { pcm ->
  vertx.eventBus().request('stt.open', new JsonObject([sampleRate: 16000, language: 'en'])).compose { reply ->
    def session = reply.body()
    vertx.eventBus().consumer(session.getString('eventsAddress')) { message ->
      def event = message.body()
      if (event.getString('type') == 'final_transcript') {
        finals << event.getJsonArray('alternatives').getJsonObject(0).getString('text')
      }
      if (event.getString('type') == 'closed') {
        vertx.eventBus().publish(config.getString('resultAddress'), new JsonObject([
            text: finals.join(' ').trim(), lastSeq: event.getInteger('seq'), reason: event.getString('reason')]))
      }
    }
    def audio = session.getString('audioAddress')
    for (int offset = 0; offset < pcm.length(); offset += 3200) {
      def chunk = pcm.getBytes(offset, Math.min(pcm.length(), offset + 3200))
      vertx.eventBus().send(audio, new JsonObject([audio: chunk.encodeBase64().toString()]))
    }
    vertx.eventBus().request(session.getString('controlAddress'), new JsonObject([action: 'end']))
  }
}.onFailure { err ->
  vertx.eventBus().publish(config.getString('resultAddress'), new JsonObject([error: err.message]))
}
