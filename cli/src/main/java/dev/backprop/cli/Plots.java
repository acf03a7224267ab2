package dev.backprop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts written to PNG or SVG with XChart (chosen by the file's extension). */
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
        checkTarget(file);
        System.setProperty("java.awt.headless", "true");
        // ImageIO's disk cache registers a JVM shutdown hook on first use, which fails while the
        // JVM is already shutting down (SIGTERM or Ctrl-C saves the plot from a shutdown hook):
        // "Shutdown in progress", and no PNG. Encoding in memory needs no cache.
        javax.imageio.ImageIO.setUseCache(false);
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler st = chart.getStyler();
        chart.getStyler().setYAxisLogarithmic(logY);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        if (integerAbscissae(series)) {
            // Steps or layers: "1009" rather than "1,009", whose separators run into the next label.
            chart.getStyler().setXAxisDecimalPattern("#");
        }
        for (Series s : series) {
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
            if (!s.points() && xs.size() > MAX_LINE_POINTS) {
                double[][] d = downsample(xs.stream().mapToDouble(Double::doubleValue).toArray(),
                        ys.stream().mapToDouble(Double::doubleValue).toArray(), (MAX_LINE_POINTS - 2) / 2);
                xs = java.util.Arrays.stream(d[0]).boxed().toList();
                ys = java.util.Arrays.stream(d[1]).boxed().toList();
            }
            XYSeries xy = chart.addSeries(s.name(), xs, ys);
            if (s.group() >= 0) {
                java.awt.Color c = PALETTE[s.group() % PALETTE.length];
                xy.setLineColor(c);
                xy.setMarkerColor(c);
            }
            if (s.points()) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                xy.setMarker(SeriesMarkers.CIRCLE);
            } else {
                xy.setMarker(xs.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                if (s.dashed()) {
                    xy.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT,
                            java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                }
            }
        }
        // Drawn in memory first, then written as a whole (OutputPaths): never a half-written chart.
        boolean png = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        OutputPaths.write(file, out -> {
            if (png) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        });
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
