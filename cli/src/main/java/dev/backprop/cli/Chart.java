package dev.backprop.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A line chart drawn once, to SVG or to PNG. The SVG keeps text as {@code <text>} (searchable, a
 * few bytes a label, where XChart's encoder wrote every glyph as a path: 9.7 MB for a 50-layer init
 * chart) and one {@code <polyline>} a series; both carry {@link Ticks} on round numbers, a bounded
 * count of them, whatever the range.
 */
final class Chart {
    private static final int W = 900;
    private static final int H = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = W - 280;
    private static final int TOP = 45;
    private static final int BOTTOM = H - 60;
    private static final Color GRID = new Color(0xdddddd);
    private static final Color FRAME = new Color(0x888888);

    private Chart() {
    }

    /** One series ready to draw: its points (finite, and positive on a log axis), colour and style. */
    record Line(String name, double[] x, double[] y, Color color, boolean dashed, boolean points, boolean markers) {
    }

    /** What a chart is drawn with: the SVG writer or Java2D. */
    private interface Canvas {
        void text(double x, double y, String anchor, boolean bold, int size, double rotate, String s);

        void line(double[] x, double[] y, Color c, float width, boolean dashed);

        void dots(double[] x, double[] y, Color c, double r);

        void clip(boolean on);
    }

    /** The chart as SVG text; {@code subtitle} (null: none) goes in smaller type under the title. */
    static byte[] svg(String title, String subtitle, String xTitle, String yTitle, boolean logY, boolean integerX, List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\">%n", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<clipPath id=\"plot\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></clipPath>%n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        draw(new Canvas() {
            @Override
            public void text(double x, double y, String anchor, boolean bold, int size, double rotate, String s) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s%s>",
                        x, y, anchor, size, bold ? " font-weight=\"bold\"" : "",
                        rotate == 0 ? "" : String.format(Locale.ROOT, " transform=\"rotate(%.0f %.1f %.1f)\"", rotate, x, y)))
                        .append(escape(s)).append("</text>\n");
            }

            @Override
            public void line(double[] x, double[] y, Color c, float width, boolean dashed) {
                sb.append("<polyline fill=\"none\" stroke=\"").append(hex(c)).append("\" stroke-width=\"").append(width == 1 ? "1" : "2")
                        .append('"').append(dashed ? " stroke-dasharray=\"" + (width == 1 ? "3 3" : "6 4") + "\"" : "").append(" points=\"");
                for (int i = 0; i < x.length; i++) {
                    sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x[i], y[i]));
                }
                sb.setLength(sb.length() - 1);
                sb.append("\"/>\n");
            }

            @Override
            public void dots(double[] x, double[] y, Color c, double r) {
                sb.append("<g fill=\"").append(hex(c)).append("\">");
                for (int i = 0; i < x.length; i++) {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\"/>", x[i], y[i], r));
                }
                sb.append("</g>\n");
            }

            @Override
            public void clip(boolean on) {
                sb.append(on ? "<g clip-path=\"url(#plot)\">\n" : "</g>\n");
            }
        }, title, subtitle, xTitle, yTitle, logY, integerX, lines);
        sb.append("</svg>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The chart as a PNG image; {@code subtitle} (null: none) goes in smaller type under the title. */
    static byte[] png(String title, String subtitle, String xTitle, String yTitle, boolean logY, boolean integerX, List<Line> lines) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        draw(new Canvas() {
            @Override
            public void text(double x, double y, String anchor, boolean bold, int size, double rotate, String s) {
                g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
                g.setColor(Color.BLACK);
                double w = g.getFontMetrics().stringWidth(s);
                double dx = anchor.equals("middle") ? -w / 2 : anchor.equals("end") ? -w : 0;
                java.awt.geom.AffineTransform t = g.getTransform();
                g.translate(x, y);
                g.rotate(Math.toRadians(rotate));
                g.drawString(s, (float) dx, 0f);
                g.setTransform(t);
            }

            @Override
            public void line(double[] x, double[] y, Color c, float width, boolean dashed) {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(x[0], y[0]);
                for (int i = 1; i < x.length; i++) {
                    p.lineTo(x[i], y[i]);
                }
                g.setColor(c);
                g.setStroke(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        width == 1 ? new float[] {3f, 3f} : new float[] {6f, 4f}, 0f)
                        : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(p);
            }

            @Override
            public void dots(double[] x, double[] y, Color c, double r) {
                g.setColor(c);
                for (int i = 0; i < x.length; i++) {
                    g.fill(new Ellipse2D.Double(x[i] - r, y[i] - r, 2 * r, 2 * r));
                }
            }

            @Override
            public void clip(boolean on) {
                g.setClip(on ? new java.awt.Rectangle(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP) : null);
            }
        }, title, subtitle, xTitle, yTitle, logY, integerX, lines);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void draw(Canvas cv, String title, String subtitle, String xTitle, String yTitle, boolean logY, boolean integerX,
                             List<Line> lines) {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (int i = 0; i < l.x().length; i++) {
                double y = logY ? Math.log10(l.y()[i]) : l.y()[i];
                x0 = Math.min(x0, l.x()[i]);
                x1 = Math.max(x1, l.x()[i]);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        if (!(x0 <= x1)) { // nothing to draw: an empty frame
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        if (x0 == x1) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        if (y0 == y1) {
            y0 -= 0.5;
            y1 += 0.5;
        }
        double pad = (y1 - y0) * 0.04;
        y0 -= pad;
        y1 += pad;
        if (subtitle == null) {
            cv.text(W / 2.0, 25, "middle", true, 15, 0, title);
        } else { // both lines in the band above the frame, which starts at TOP
            cv.text(W / 2.0, 20, "middle", true, 15, 0, title);
            cv.text(W / 2.0, 37, "middle", false, 12, 0, subtitle);
        }
        cv.text((LEFT + RIGHT) / 2.0, H - 18, "middle", true, 13, 0, xTitle);
        cv.text(24, (TOP + BOTTOM) / 2.0, "middle", true, 13, -90, yTitle);
        final double fx0 = x0;
        final double fx1 = x1;
        final double fy0 = y0;
        final double fy1 = y1;
        DoubleUnaryOperator px = v -> LEFT + (v - fx0) / (fx1 - fx0) * (RIGHT - LEFT);
        DoubleUnaryOperator py = v -> BOTTOM - (v - fy0) / (fy1 - fy0) * (BOTTOM - TOP);
        List<Double> xt = Ticks.linear(x0, x1);
        if (integerX) {
            xt = xt.stream().filter(v -> v == Math.rint(v)).toList();
        }
        List<Double> yt = logY ? Ticks.logDecades(y0, y1) : Ticks.linear(y0, y1);
        for (double v : xt) {
            double x = px.applyAsDouble(v);
            cv.line(new double[] {x, x}, new double[] {TOP, BOTTOM}, GRID, 1, true);
            cv.text(x, BOTTOM + 18, "middle", false, 12, 0, Ticks.number(v));
        }
        for (double v : yt) {
            double y = py.applyAsDouble(v);
            cv.line(new double[] {LEFT, RIGHT}, new double[] {y, y}, GRID, 1, true);
            cv.text(LEFT - 6, y + 4, "end", false, 12, 0, logY ? Ticks.power(v) : Ticks.number(v));
        }
        cv.line(new double[] {LEFT, RIGHT, RIGHT, LEFT, LEFT}, new double[] {TOP, TOP, BOTTOM, BOTTOM, TOP}, FRAME, 1, false);
        cv.clip(true);
        for (Line l : lines) {
            double[] x = new double[l.x().length];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = px.applyAsDouble(l.x()[i]);
                y[i] = py.applyAsDouble(logY ? Math.log10(l.y()[i]) : l.y()[i]);
            }
            if (!l.points() && x.length > 1) {
                cv.line(x, y, l.color(), 2, l.dashed());
            }
            if (l.points() || l.markers() || x.length == 1) {
                cv.dots(x, y, l.color(), 3);
            }
        }
        cv.clip(false);
        int ly = TOP + 10;
        for (Line l : lines) {
            if (l.points()) {
                cv.dots(new double[] {RIGHT + 32}, new double[] {ly}, l.color(), 3);
            } else {
                cv.line(new double[] {RIGHT + 20, RIGHT + 44}, new double[] {ly, ly}, l.color(), 2, l.dashed());
            }
            cv.text(RIGHT + 50, ly + 4, "start", false, 11, 0, l.name());
            ly += 20;
        }
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xffffff);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
