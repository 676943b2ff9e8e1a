package org.voicerelay.stt.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate of a transcript against a reference: the fewest word substitutions, deletions
 * and insertions that turn the reference into the hypothesis, over the reference's word count.
 * Both texts are normalised first (lower case, punctuation other than in-word apostrophes removed,
 * whitespace collapsed) so that recognisers are not charged for formatting.
 */
public record WordErrorRate(int substitutions, int deletions, int insertions, int referenceWords) {

  /** Aligns the two texts and counts the errors. */
  public static WordErrorRate of(String reference, String hypothesis) {
    List<String> ref = words(reference);
    List<String> hyp = words(hypothesis);
    int[][] cost = new int[ref.size() + 1][hyp.size() + 1];
    for (int i = 0; i <= ref.size(); i++) {
      cost[i][0] = i;
    }
    for (int j = 0; j <= hyp.size(); j++) {
      cost[0][j] = j;
    }
    for (int i = 1; i <= ref.size(); i++) {
      for (int j = 1; j <= hyp.size(); j++) {
        int diagonal = cost[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
        cost[i][j] = Math.min(diagonal, Math.min(cost[i - 1][j], cost[i][j - 1]) + 1);
      }
    }
    int s = 0;
    int d = 0;
    int ins = 0;
    int i = ref.size();
    int j = hyp.size();
    while (i > 0 || j > 0) {
      if (i > 0 && j > 0
          && cost[i][j] == cost[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1)) {
        if (!ref.get(i - 1).equals(hyp.get(j - 1))) {
          s++;
        }
        i--;
        j--;
      } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
        d++;
        i--;
      } else {
        ins++;
        j--;
      }
    }
    return new WordErrorRate(s, d, ins, ref.size());
  }

  /** The rate alone; see {@link #rate()}. */
  public static double between(String reference, String hypothesis) {
    return of(reference, hypothesis).rate();
  }

  /** The texts' words after normalisation, as compared. */
  public static List<String> words(String text) {
    String cleaned = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}'\\s]+", " ");
    List<String> words = new ArrayList<>();
    for (String token : cleaned.trim().split("\\s+")) {
      String word = token.replaceAll("^'+|'+$", "");
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  public int errors() {
    return substitutions + deletions + insertions;
  }

  /**
   * Errors over reference words; may exceed 1 when the hypothesis inserts many words. With an empty
   * reference it is 0 for an empty hypothesis and 1 otherwise.
   */
  public double rate() {
    if (referenceWords == 0) {
      return insertions == 0 ? 0 : 1;
    }
    return (double) errors() / referenceWords;
  }
}
