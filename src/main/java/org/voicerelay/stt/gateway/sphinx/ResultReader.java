package org.voicerelay.stt.gateway.sphinx;

import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.result.Lattice;
import edu.cmu.sphinx.result.LatticeOptimizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.voicerelay.stt.gateway.engine.Hypothesis;

/**
 * Turns Sphinx4 results into the gateway's hypotheses: filler words ({@code <sil>}, {@code <s>},
 * {@code [NOISE]}, ...) dropped, times moved from the decoder's stream to the session's clock.
 * Words and times come from the search's best path (the lattice's Viterbi path sometimes disagrees
 * with it, and was measured less accurate); final words take their confidence from the lattice's
 * posteriors, because the best path reports a constant 1. Interim hypotheses carry no confidence (0).
 */
final class ResultReader {

  private static final Map<String, Object> EXTRA = Map.of("engine", "sphinx4");

  private final boolean wordConfidence;

  ResultReader(boolean wordConfidence) {
    this.wordConfidence = wordConfidence;
  }

  /** The current best path of a search still running, or null when it has none yet. */
  Hypothesis interim(Result result, double offsetSeconds) {
    Token best = result.getBestToken();
    if (best == null) {
      return null;
    }
    List<Hypothesis.Word> words = new ArrayList<>();
    for (WordResult word : result.getTimedBestResult(false)) {
      words.add(word(word, offsetSeconds, 0));
    }
    return words.isEmpty() ? null : hypothesis(words, 0);
  }

  /** A segment's settled hypothesis; its text may be empty. */
  Hypothesis settled(Result result, double offsetSeconds, double fallbackEndSeconds) {
    List<Hypothesis.Word> words = new ArrayList<>();
    if (result != null && result.getBestToken() != null) {
      List<WordResult> posteriors = wordConfidence ? latticePath(result) : null;
      for (WordResult word : result.getTimedBestResult(false)) {
        words.add(word(word, offsetSeconds, posteriors == null ? 0 : posterior(word, posteriors)));
      }
    }
    if (words.isEmpty()) {
      return new Hypothesis("", fallbackEndSeconds, fallbackEndSeconds, 0, List.of(), EXTRA);
    }
    double confidence = words.stream().mapToDouble(Hypothesis.Word::confidence).average().orElse(0);
    return hypothesis(words, confidence);
  }

  /** The posterior of the lattice word with the same spelling that overlaps {@code word} most, else 0. */
  private static double posterior(WordResult word, List<WordResult> lattice) {
    long bestOverlap = 0;
    double posterior = 0;
    for (WordResult candidate : lattice) {
      if (!candidate.getWord().getSpelling().equals(word.getWord().getSpelling())) {
        continue;
      }
      long overlap = Math.min(word.getTimeFrame().getEnd(), candidate.getTimeFrame().getEnd())
          - Math.max(word.getTimeFrame().getStart(), candidate.getTimeFrame().getStart());
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        posterior = clamp(LogMath.getLogMath().logToLinear((float) candidate.getConfidence()));
      }
    }
    return posterior;
  }

  /**
   * The best path through the result's word lattice, with posteriors; null when Sphinx4 cannot
   * build one: its Lattice needs a final token that ends the sentence, which a segment cut short by
   * the endpointer or a finalize (seen on very short utterances) lacks.
   */
  private static List<WordResult> latticePath(Result result) {
    Token last = result.getBestFinalToken();
    if (!result.toCreateLattice() || last == null || !last.isWord() || !last.getWord().isSentenceEndWord()) {
      return null;
    }
    Lattice lattice = new Lattice(result);
    new LatticeOptimizer(lattice).optimize();
    lattice.computeNodePosteriors(1.0f);
    return lattice.getWordResultPath();
  }

  private static Hypothesis hypothesis(List<Hypothesis.Word> words, double confidence) {
    StringBuilder text = new StringBuilder();
    for (Hypothesis.Word word : words) {
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append(word.word());
    }
    return new Hypothesis(text.toString(), words.get(0).start(), words.get(words.size() - 1).end(),
        confidence, List.copyOf(words), EXTRA);
  }

  private static Hypothesis.Word word(WordResult word, double offsetSeconds, double confidence) {
    double start = offsetSeconds + word.getTimeFrame().getStart() / 1000.0;
    double end = offsetSeconds + word.getTimeFrame().getEnd() / 1000.0;
    return new Hypothesis.Word(word.getWord().getSpelling(), start, Math.max(start, end), confidence);
  }

  private static double clamp(double p) {
    return Double.isNaN(p) ? 0 : Math.max(0, Math.min(1, p));
  }
}
