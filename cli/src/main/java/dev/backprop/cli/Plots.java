package dev.backprop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Line charts written to PNG or SVG ({@link Chart}; chosen by the file's extension). */
final class Plots {
    private Plots() {
    }

    /**
     * One line of a chart.
     *
     * @param name   legend entry
     * @param x      abscissae
     * @param y      ordinates
     * @param dashed draw dashed (for a second family of lines on the same chart)
     * @param points draw markers only, no line (for data)
     * @param group  series of one group share a colour (e.g. forward and backward of one σ²)
     */
    record Series(String name, double[] x, double[] y, boolean dashed, boolean points, int group) {
        Series(String name, double[] x, double[] y) {
            this(name, x, y, false, false, -1);
        }
    }

    private static final java.awt.Color[] PALETTE = {
        new java.awt.Color(0x1f77b4), new java.awt.Color(0xd62728), new java.awt.Color(0x2ca02c),
        new java.awt.Color(0x9467bd), new java.awt.Color(0xff7f0e), new java.awt.Color(0x8c564b)};

    /** Most points a line is drawn with (a chart is 900 pixels wide); longer lines are reduced by {@link #downsample}. */
    static final int MAX_LINE_POINTS = 2002;

    /** Checks the file's extension before any work is done, so a typo fails fast with exit 2. */
    static void checkTarget(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".png") && !n.endsWith(".svg")) {
            throw new BadInput("--plot " + file + ": the file name must end in .png or .svg");
        }
        if (n.length() == 4) { // a name that is only an extension: ".png" is no file name to draw to
            throw new BadInput("--plot " + file + ": the file needs a name before " + n + ", as in loss" + n);
        }
    }

    /** Draws the series and writes the chart; points that cannot be drawn on a log axis are left out. */
    static void write(Path file, String title, String xTitle, String yTitle, boolean logY, List<Series> series) {
        write(file, title, null, xTitle, yTitle, logY, series);
    }

    /** {@link #write(Path, String, String, String, boolean, List)} with a line under the title (null: none). */
    static void write(Path file, String title, String subtitle, String xTitle, String yTitle, boolean logY, List<Series> series) {
        checkTarget(file);
        System.setProperty("java.awt.headless", "true");
        // ImageIO's disk cache registers a JVM shutdown hook on first use, which fails while the
        // JVM is already shutting down (SIGTERM or Ctrl-C saves the plot from a shutdown hook):
        // "Shutdown in progress", and no PNG. Encoding in memory needs no cache.
        javax.imageio.ImageIO.setUseCache(false);
        boolean png = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        boolean integerX = integerAbscissae(series);
        List<Chart.Line> lines = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                double y = s.y()[i];
                if (Double.isFinite(y) && Double.isFinite(s.x()[i]) && (!logY || y > 0)) {
                    xs.add(s.x()[i]);
                    ys.add(y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
            double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
            if (!s.points() && x.length > MAX_LINE_POINTS) {
                double[][] d = downsample(x, y, (MAX_LINE_POINTS - 2) / 2);
                x = d[0];
                y = d[1];
            }
            java.awt.Color c = PALETTE[(s.group() >= 0 ? s.group() : k) % PALETTE.length];
            lines.add(new Chart.Line(s.name(), x, y, c, s.dashed(), s.points(), !s.points() && x.length <= 60));
        }
        byte[] bytes = png ? Chart.png(title, subtitle, xTitle, yTitle, logY, integerX, lines)
                : Chart.svg(title, subtitle, xTitle, yTitle, logY, integerX, lines);
        // Drawn in memory first, then written as a whole (OutputPaths): never a half-written chart.
        OutputPaths.write(file, out -> out.write(bytes));
    }

    /**
     * A long line reduced to at most {@code 2·buckets + 2} points that look the same when drawn:
     * the first and last points, and in each of {@code buckets} equal runs of points its lowest
     * and highest (in their order), so every spike and the overall extremes survive. Lines no
     * longer than that are returned as they are.
     */
    static double[][] downsample(double[] x, double[] y, int buckets) {
        int n = x.length;
        if (n <= 2L * buckets + 2) {
            return new double[][] {x.clone(), y.clone()};
        }
        double[] dx = new double[2 * buckets + 2];
        double[] dy = new double[2 * buckets + 2];
        int m = 0;
        dx[m] = x[0];
        dy[m++] = y[0];
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) (n - 2) * b / buckets);
            int to = 1 + (int) ((long) (n - 2) * (b + 1) / buckets);
            if (from >= to) {
                continue;
            }
            int lo = from;
            int hi = from;
            for (int i = from + 1; i < to; i++) {
                if (y[i] < y[lo]) {
                    lo = i;
                }
                if (y[i] > y[hi]) {
                    hi = i;
                }
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            dx[m] = x[first];
            dy[m++] = y[first];
            if (second != first) {
                dx[m] = x[second];
                dy[m++] = y[second];
            }
        }
        dx[m] = x[n - 1];
        dy[m++] = y[n - 1];
        return new double[][] {java.util.Arrays.copyOf(dx, m), java.util.Arrays.copyOf(dy, m)};
    }

    private static boolean integerAbscissae(List<Series> series) {
        for (Series s : series) {
            for (double x : s.x()) {
                if (x != Math.rint(x)) {
                    return false;
                }
            }
        }
        return true;
    }
}
