package dev.backprop.cli;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?": the candidate nearest a mistyped word, by edit distance. */
final class Suggest {
    private Suggest() {
    }

    /**
     * The candidate nearest {@code typed}, if one is near enough to be what was meant: at most two
     * edits away, and fewer than half its letters. Ties go to the first candidate.
     */
    static Optional<String> nearest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(typed, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        String core = typed.replaceFirst("^-+", "");
        return best != null && bestDistance <= 2 && 2 * bestDistance < core.length() ? Optional.of(best) : Optional.empty();
    }

    /**
     * Edits (insert, delete, substitute a character, or swap two adjacent ones) that turn {@code a}
     * into {@code b}: the optimal string alignment distance, so {@code grda} is one swap from
     * {@code grad}, as a typist makes it.
     */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }
}
