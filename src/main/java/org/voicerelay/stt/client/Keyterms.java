package org.voicerelay.stt.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks a list of keyterms as callers give it: no null or blank entry, no duplicate, order kept. */
final class Keyterms {

  private Keyterms() {
  }

  static List<String> cleaned(String option, List<String> terms) {
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < terms.size(); i++) {
      String term = terms.get(i);
      if (term == null || term.isBlank()) {
        throw new IllegalArgumentException(option + "[" + i + "] must be a non-empty string");
      }
      seen.add(term.strip());
    }
    return List.copyOf(new ArrayList<>(seen));
  }
}
