package org.voicerelay.stt.gateway.sphinx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SphinxOptionsTest {

  @Test
  void everyTunedValueSurvivesItsJsonForm() {
    SphinxOptions options = new SphinxOptions().setDecoders(3).setAbsoluteBeamWidth(1500)
        .setRelativeBeamWidth(1e-50).setAbsoluteWordBeamWidth(150).setRelativeWordBeamWidth(1e-30)
        .setWordInsertionProbability(0.2).setLanguageWeight(9.5).setInterimFrames(30).setEndSilenceMs(300)
        .setWordConfidence(false).setWarmUp(false).setLanguageModel("resource:/models/other.lm");
    JsonObject json = options.toJson();
    SphinxOptions back = new SphinxOptions(json);
    assertEquals(json, back.toJson());
    assertEquals(3, back.getDecoders());
    assertEquals(1e-50, back.getRelativeBeamWidth());
    assertFalse(back.isWordConfidence());
  }

  @Test
  void anAbsentKeyKeepsTheMeasuredDefault() {
    SphinxOptions options = new SphinxOptions(new JsonObject().put("decoders", 1));
    assertEquals(1, options.getDecoders());
    assertEquals(SphinxOptions.DEFAULT_ABSOLUTE_BEAM_WIDTH, options.getAbsoluteBeamWidth());
    assertEquals(SphinxOptions.DEFAULT_LANGUAGE_MODEL, options.getLanguageModel());
  }

  @Test
  void anOutOfRangeValueFromJsonIsRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SphinxOptions(new JsonObject().put("relativeBeamWidth", 2.0)));
    assertTrue(e.getMessage().contains("relativeBeamWidth"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SphinxOptions(new JsonObject().put("languageModel", "model.txt")));
  }
}
