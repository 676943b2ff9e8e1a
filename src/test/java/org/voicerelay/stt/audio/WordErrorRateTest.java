package org.voicerelay.stt.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordErrorRateTest {

  @Test
  void identicalTextsHaveNoErrors() {
    assertEquals(0.0, WordErrorRate.between("the cat sat", "the cat sat"));
  }

  @Test
  void caseAndPunctuationAreNotErrors() {
    assertEquals(0.0, WordErrorRate.between("Hello, world! It's me.", "hello world it's me"));
  }

  @Test
  void extraSpacesAreNotErrors() {
    assertEquals(0.0, WordErrorRate.between("  one   two\tthree\n", "one two three"));
  }

  @Test
  void aWrongWordIsOneSubstitution() {
    assertEquals(new WordErrorRate(1, 0, 0, 4), WordErrorRate.of("walk to the park", "want to the park"));
  }

  @Test
  void aMissingWordIsOneDeletion() {
    assertEquals(new WordErrorRate(0, 1, 0, 4), WordErrorRate.of("walk to the park", "walk the park"));
  }

  @Test
  void anExtraWordIsOneInsertion() {
    assertEquals(new WordErrorRate(0, 0, 1, 2), WordErrorRate.of("front center", "front xiao center"));
  }

  @Test
  void theRateIsErrorsOverReferenceWords() {
    assertEquals(0.25, WordErrorRate.between("walk to the park", "want to the park"));
  }

  @Test
  void insertionsCanTakeTheRateAboveOne() {
    assertEquals(3.0, WordErrorRate.between("yes", "no no no"));
  }

  @Test
  void anEmptyReferenceRatesZeroOnlyForAnEmptyHypothesis() {
    assertEquals(0.0, WordErrorRate.between("", " "));
    assertEquals(1.0, WordErrorRate.between("", "noise"));
  }

  @Test
  void anEmptyHypothesisDeletesEveryReferenceWord() {
    assertEquals(new WordErrorRate(0, 2, 0, 2), WordErrorRate.of("front center", ""));
  }

  @Test
  void wordsKeepInWordApostrophesAndSplitOnHyphens() {
    assertEquals(List.of("don't", "e", "mail", "quoted"), WordErrorRate.words("Don't e-mail 'quoted'"));
  }
}
