package dev.backprop.cli;

import dev.backprop.book.ComputationGraph;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A {@link GraphPicture} written as SVG (text stays text: selectable, searchable, small), PNG (the
 * same drawing rendered by Java2D, for slides), DOT (for Graphviz, which lays it out itself) or
 * JSON (the numbers and the layout's coordinates, for other programs).
 */
final class GraphFiles {
    /** The picture formats, chosen by the file's extension. */
    enum Format { SVG, PNG, DOT }

    /** PNGs are drawn at twice the layout's size for slides, but never beyond this many pixels. */
    static final double MAX_PIXELS = 40e6;

    private static final String SVG_FONT = "DejaVu Sans, Verdana, Arial, sans-serif";

    private GraphFiles() {
    }

    /** The format {@code file}'s extension asks for; a clear error for any other. */
    static Format format(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        if (f.endsWith(".svg")) {
            return Format.SVG;
        }
        if (f.endsWith(".png")) {
            return Format.PNG;
        }
        if (f.endsWith(".dot") || f.endsWith(".gv")) {
            return Format.DOT;
        }
        throw new BadInput("-o " + file + ": the picture's format comes from its extension: .svg, .png or .dot");
    }

    private static String fill(GraphPicture.Style s) {
        return switch (s) {
            case INPUT -> "#dbeafe";
            case CONSTANT -> "#eeeeee";
            case OPERATION -> "#ffffff";
            case OUTPUT -> "#fef3c7";
        };
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String n(double v) {
        // Coordinates to a tenth of a pixel: more digits only make the file bigger.
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** The picture as SVG: one {@code <g class="node">} per node, one {@code <path class="edge">} per edge. */
    static String svg(GraphPicture p) {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(n(p.width)).append("\" height=\"")
                .append(n(p.height)).append("\" viewBox=\"0 0 ").append(n(p.width)).append(' ').append(n(p.height))
                .append("\" font-family=\"").append(SVG_FONT).append("\" font-size=\"12\">\n");
        s.append("<title>").append(xml(p.diagram.title())).append("</title>\n");
        s.append("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"8\" markerHeight=\"8\" "
                + "orient=\"auto\"><path d=\"M0,0L8,4L0,8z\" fill=\"#555\"/></marker></defs>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        for (GraphPicture.Route r : p.routes) {
            StringBuilder d = new StringBuilder();
            for (double[] pt : r.points()) {
                d.append(d.length() == 0 ? "M" : "L").append(n(pt[0])).append(',').append(n(pt[1]));
            }
            s.append("<path class=\"edge\" data-from=\"").append(r.from()).append("\" data-to=\"").append(r.to())
                    .append("\" d=\"").append(d).append("\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"")
                    .append(r.muted() ? " opacity=\"0.35\"" : "").append("/>\n");
            if (r.label().isEmpty()) {
                continue;
            }
            s.append("<text class=\"local\" x=\"").append(n(r.labelX() + 2)).append("\" y=\"").append(n(r.labelY() + 10))
                    .append("\" font-size=\"10\" fill=\"#1d4ed8\"").append(r.muted() ? " opacity=\"0.35\"" : "").append('>')
                    .append(xml(r.label())).append("</text>\n");
        }
        for (GraphPicture.Box b : p.boxes) {
            s.append("<g class=\"node\" id=\"n").append(b.id()).append('"').append(b.muted() ? " opacity=\"0.35\"" : "").append(">");
            s.append("<rect x=\"").append(n(b.x())).append("\" y=\"").append(n(b.y())).append("\" width=\"").append(n(b.width()))
                    .append("\" height=\"").append(n(b.height())).append("\" rx=\"5\" fill=\"").append(fill(b.style()))
                    .append("\" stroke=\"#333\"/>");
            for (int k = 0; k < b.lines().size(); k++) {
                s.append("<text x=\"").append(n(b.x() + GraphPicture.PAD)).append("\" y=\"")
                        .append(n(b.y() + GraphPicture.PAD + (k + 1) * GraphPicture.LINE - 4)).append('"')
                        .append(k == 0 ? " font-weight=\"bold\"" : "").append('>').append(xml(b.lines().get(k))).append("</text>");
            }
            s.append("</g>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** The same drawing as SVG, rendered by Java2D at up to twice the size. */
    static byte[] png(GraphPicture p) {
        double scale = Math.min(2, Math.sqrt(MAX_PIXELS / Math.max(1, p.width * p.height)));
        int w = (int) Math.ceil(p.width * scale);
        int h = (int) Math.ceil(p.height * scale);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.scale(scale, scale);
            Color edge = new Color(0x55, 0x55, 0x55);
            Color muted = new Color(0xbb, 0xbb, 0xbb);
            g.setStroke(new BasicStroke(1f));
            for (GraphPicture.Route r : p.routes) {
                List<double[]> pts = r.points();
                if (pts.size() < 2) {
                    continue;
                }
                g.setColor(r.muted() ? muted : edge);
                Path2D.Double path = new Path2D.Double();
                path.moveTo(pts.get(0)[0], pts.get(0)[1]);
                for (int k = 1; k < pts.size(); k++) {
                    path.lineTo(pts.get(k)[0], pts.get(k)[1]);
                }
                g.draw(path);
                double[] a = pts.get(pts.size() - 2);
                double[] b = pts.get(pts.size() - 1);
                double angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
                Path2D.Double head = new Path2D.Double();
                head.moveTo(b[0], b[1]);
                head.lineTo(b[0] - 8 * Math.cos(angle - 0.45), b[1] - 8 * Math.sin(angle - 0.45));
                head.lineTo(b[0] - 8 * Math.cos(angle + 0.45), b[1] - 8 * Math.sin(angle + 0.45));
                head.closePath();
                g.fill(head);
                if (r.label().isEmpty()) {
                    continue;
                }
                g.setFont(GraphPicture.SMALL);
                g.setColor(r.muted() ? muted : new Color(0x1d, 0x4e, 0xd8));
                g.drawString(r.label(), (float) (r.labelX() + 2), (float) (r.labelY() + 10));
            }
            for (GraphPicture.Box b : p.boxes) {
                RoundRectangle2D.Double box = new RoundRectangle2D.Double(b.x(), b.y(), b.width(), b.height(), 10, 10);
                g.setColor(Color.decode(fill(b.style())));
                g.fill(box);
                g.setColor(b.muted() ? muted : new Color(0x33, 0x33, 0x33));
                g.draw(box);
                for (int k = 0; k < b.lines().size(); k++) {
                    g.setFont(k == 0 ? GraphPicture.BOLD : GraphPicture.FONT);
                    g.drawString(b.lines().get(k), (float) (b.x() + GraphPicture.PAD),
                            (float) (b.y() + GraphPicture.PAD + (k + 1) * GraphPicture.LINE - 4));
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static String dotString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The diagram in Graphviz's DOT language, left to right; Graphviz lays it out, so any size is
     * written. Muted boxes and arrows are grey.
     */
    static String dot(Diagram d) {
        StringBuilder s = new StringBuilder();
        s.append("// ").append(d.title().replace("\n", " ")).append(". Draw with: dot -Tsvg\n");
        s.append("digraph backprop {\n  rankdir=LR;\n");
        s.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"DejaVu Sans\", fontsize=11];\n");
        s.append("  edge [fontname=\"DejaVu Sans\", fontsize=9, fontcolor=\"#1d4ed8\"];\n");
        for (int k = 0; k < d.boxes().size(); k++) {
            Diagram.Box b = d.boxes().get(k);
            s.append("  n").append(k).append(" [label=")
                    .append(dotString(String.join("\n", b.lines())).replace("\n", "\\n"))
                    .append(", fillcolor=\"").append(fill(b.style())).append('"')
                    .append(b.muted() ? ", color=\"#bbbbbb\", fontcolor=\"#999999\"" : "").append("];\n");
        }
        for (Diagram.Arrow a : d.arrows()) {
            List<String> attributes = new ArrayList<>();
            if (!a.label().isEmpty()) {
                attributes.add("label=" + dotString(a.label()));
            }
            if (a.muted()) {
                attributes.add("color=\"#bbbbbb\"");
            }
            s.append("  n").append(a.from()).append(" -> n").append(a.to())
                    .append(attributes.isEmpty() ? "" : " [" + String.join(", ", attributes) + "]").append(";\n");
        }
        s.append("}\n");
        return s.toString();
    }

    /**
     * Nodes (name, op, value, adjoint, box), edges (from, to, local derivative, route) and the
     * picture's size, for a picture of a computational graph.
     */
    static Map<String, Object> json(GraphPicture p) {
        ComputationGraph g = p.graph;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", g.outputName());
        m.put("value", g.nodes().get(g.output()).value());
        m.put("width", p.width);
        m.put("height", p.height);
        List<Object> nodes = new ArrayList<>();
        for (GraphPicture.Box b : p.boxes) {
            ComputationGraph.Node x = g.nodes().get(b.id());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", x.id());
            o.put("name", x.name());
            o.put("kind", x.kind().name().toLowerCase(Locale.ROOT));
            o.put("op", x.op());
            o.put("expression", x.expression());
            o.put("value", x.value());
            o.put("adjoint", x.adjoint());
            placed(o, b);
            nodes.add(o);
        }
        List<Object> edges = new ArrayList<>();
        for (int k = 0; k < p.routes.size(); k++) {
            GraphPicture.Route r = p.routes.get(k);
            ComputationGraph.Edge e = g.edges().get(k);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("from", e.from());
            o.put("to", e.to());
            o.put("argument", e.argument());
            o.put("local", e.local());
            o.put("contribution", e.contribution());
            o.put("points", points(r));
            o.put("label", List.of(r.labelX(), r.labelY(), r.labelWidth(), r.labelHeight()));
            edges.add(o);
        }
        m.put("nodes", nodes);
        m.put("edges", edges);
        return m;
    }

    /**
     * A picture that is not a formula's graph (deep's network) as {@link #json} gives a formula's:
     * {@code {"title", "width", "height", "nodes": [{"id", "name", "lines", "x", "y", "width",
     * "height", "highlighted"}…], "edges": [{"from", "to", "label", "points", "highlighted"}…]}}.
     * A box's numbers are its text lines; the command's own JSON holds them as numbers.
     */
    static Map<String, Object> diagramJson(GraphPicture p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", p.diagram.title());
        m.put("width", p.width);
        m.put("height", p.height);
        List<Object> nodes = new ArrayList<>();
        for (GraphPicture.Box b : p.boxes) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", b.id());
            o.put("name", b.lines().get(0));
            o.put("lines", b.lines().subList(1, b.lines().size()));
            placed(o, b);
            nodes.add(o);
        }
        List<Object> edges = new ArrayList<>();
        for (GraphPicture.Route r : p.routes) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("from", r.from());
            o.put("to", r.to());
            o.put("label", r.label());
            o.put("points", points(r));
            o.put("highlighted", !r.muted());
            edges.add(o);
        }
        m.put("nodes", nodes);
        m.put("edges", edges);
        return m;
    }

    /** A box's place in the layout and whether it is highlighted: the same keys in both JSON forms. */
    private static void placed(Map<String, Object> o, GraphPicture.Box b) {
        o.put("x", b.x());
        o.put("y", b.y());
        o.put("width", b.width());
        o.put("height", b.height());
        o.put("highlighted", !b.muted());
    }

    /** An arrow's bend points as [x, y] pairs. */
    private static List<Object> points(GraphPicture.Route r) {
        List<Object> pts = new ArrayList<>();
        r.points().forEach(pt -> pts.add(List.of(pt[0], pt[1])));
        return pts;
    }
}
