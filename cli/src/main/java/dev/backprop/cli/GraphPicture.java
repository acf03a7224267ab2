package dev.backprop.cli;

import dev.backprop.book.ComputationGraph;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.eclipse.elk.alg.layered.LayeredLayoutProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * A {@link Diagram} laid out for drawing; for a computational graph, each node a box of text lines
 * (name and operation, value, adjoint, with the chain rule's terms where a value has several uses),
 * each edge a route with its local derivative as label. The layout is the Eclipse Layout Kernel's layered algorithm
 * (left to right, layers by dependency, crossings minimised); SVG, PNG, DOT and JSON are written
 * from this one drawing by {@link GraphFiles}, so every format shows the same picture.
 */
final class GraphPicture {
    /** Beyond this many nodes a picture is a smear of boxes; the command refuses and says why. */
    static final int MAX_NODES = 500;
    /** Terms shown in an adjoint's sum before "…": a value with many uses would make a huge box. */
    static final int MAX_TERMS = 4;
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font BOLD = FONT.deriveFont(Font.BOLD);
    static final Font SMALL = FONT.deriveFont(10f);
    static final double LINE = 15;
    static final double PAD = 6;
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    static {
        // Outside Eclipse nothing registers the layered algorithm's options (and the types ELK
        // clones their defaults with); without this the first layout fails on a missing type.
        org.eclipse.elk.core.data.LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(
                new org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider());
    }

    /** How a box is coloured. */
    enum Style { INPUT, CONSTANT, OPERATION, OUTPUT }

    /** One node's box: top-left corner, size, lines of text (the first is its title). */
    record Box(int id, double x, double y, double width, double height, List<String> lines, Style style, boolean muted) {
    }

    /** One arrow's boxes, route (start, bends, end) and its label's top-left corner and size. */
    record Route(int from, int to, List<double[]> points, String label,
                 double labelX, double labelY, double labelWidth, double labelHeight, boolean muted) {
    }

    final Diagram diagram;
    /** The computational graph drawn, or null for other diagrams. */
    final ComputationGraph graph;
    final List<Box> boxes = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    double width;
    double height;

    private GraphPicture(Diagram diagram, ComputationGraph graph) {
        this.diagram = diagram;
        this.graph = graph;
    }

    /** The number as pictures print it. */
    static String num(double v, int digits) {
        return Text.num(v, digits);
    }

    /** Long names (a statement called learning_rate_schedule) would widen every label that names them. */
    static String shortName(String name) {
        return name.length() <= 16 ? name : name.substring(0, 15) + "…";
    }

    /** The text of node {@code n}'s box: title, value, adjoint (as the sum of its terms where there are several). */
    static List<String> lines(ComputationGraph g, ComputationGraph.Node n, List<ComputationGraph.Edge> uses, int digits) {
        List<String> lines = new ArrayList<>();
        String name = shortName(n.name());
        switch (n.kind()) {
            case INPUT -> lines.add(name + "  (input)");
            case CONSTANT -> lines.add(name + "  (constant)");
            default -> lines.add(name + " = " + abbreviate(n.expression()));
        }
        lines.add("value " + num(n.value(), digits));
        String d = "∂" + shortName(g.outputName()) + "/∂" + name + " = ";
        if (uses.size() > 1) {
            StringBuilder sum = new StringBuilder(d);
            for (int k = 0; k < Math.min(uses.size(), MAX_TERMS); k++) {
                sum.append(k > 0 ? " + " : "").append(num(uses.get(k).contribution(), digits));
            }
            if (uses.size() > MAX_TERMS) {
                sum.append(" + … (").append(uses.size()).append(" terms)");
            }
            lines.add(sum.toString());
            lines.add("  = " + num(n.adjoint(), digits));
        } else {
            lines.add(d + num(n.adjoint(), digits));
        }
        return lines;
    }

    private static String abbreviate(String expression) {
        return expression.length() <= 40 ? expression : expression.substring(0, 39) + "…";
    }

    /** An edge's label: its local derivative ∂consumer/∂value. */
    static String label(ComputationGraph g, ComputationGraph.Edge e, int digits) {
        return "∂" + shortName(g.nodes().get(e.to()).name()) + "/∂" + shortName(g.nodes().get(e.from()).name())
                + " = " + num(e.local(), digits);
    }

    static double textWidth(String s, Font f) {
        return f.getStringBounds(s, FRC).getWidth();
    }

    /**
     * The nodes that lie on a path from one of {@code wrt} (input node ids) to the output; all of
     * them when {@code wrt} is null. The others are drawn muted.
     */
    static BitSet onPath(ComputationGraph g, List<Integer> wrt) {
        int n = g.nodes().size();
        BitSet keep = new BitSet(n);
        if (wrt == null) {
            keep.set(0, n);
            return keep;
        }
        BitSet from = new BitSet(n);
        wrt.forEach(from::set);
        for (ComputationGraph.Edge e : g.edges()) { // edges run in program order: one pass propagates
            if (from.get(e.from())) {
                from.set(e.to());
            }
        }
        BitSet toOutput = new BitSet(n);
        toOutput.set(g.output());
        for (int k = g.edges().size() - 1; k >= 0; k--) {
            ComputationGraph.Edge e = g.edges().get(k);
            if (toOutput.get(e.to())) {
                toOutput.set(e.from());
            }
        }
        keep.or(from);
        keep.and(toOutput);
        return keep;
    }

    /**
     * What the picture of {@code g} shows: a box per node, an arrow per use labelled with its
     * local derivative. {@code wrt}: input node ids whose paths to the output are highlighted, or
     * null for all.
     */
    static Diagram diagram(ComputationGraph g, List<Integer> wrt, int digits) {
        BitSet keep = onPath(g, wrt);
        List<List<ComputationGraph.Edge>> uses = new ArrayList<>();
        g.nodes().forEach(n -> uses.add(new ArrayList<>()));
        g.edges().forEach(e -> uses.get(e.from()).add(e));
        List<Diagram.Box> boxes = new ArrayList<>();
        for (ComputationGraph.Node n : g.nodes()) {
            Style style = n.id() == g.output() ? Style.OUTPUT : switch (n.kind()) {
                case INPUT -> Style.INPUT;
                case CONSTANT -> Style.CONSTANT;
                default -> Style.OPERATION;
            };
            boxes.add(new Diagram.Box(lines(g, n, uses.get(n.id()), digits), style, !keep.get(n.id())));
        }
        List<Diagram.Arrow> arrows = new ArrayList<>();
        for (ComputationGraph.Edge e : g.edges()) {
            arrows.add(new Diagram.Arrow(e.from(), e.to(), label(g, e, digits), !(keep.get(e.from()) && keep.get(e.to()))));
        }
        return new Diagram("Computational graph of " + g.outputName() + ": value, adjoint ∂" + g.outputName()
                + "/∂node, and local derivative on each edge", boxes, arrows, false);
    }

    /**
     * Lays out {@code g}. {@code wrt}: input node ids whose paths to the output are highlighted,
     * or null for all.
     *
     * @throws BadInput if the graph has more than {@link #MAX_NODES} nodes
     */
    static GraphPicture of(ComputationGraph g, List<Integer> wrt, int digits) {
        if (g.nodes().size() > MAX_NODES) {
            throw new BadInput("the graph has " + g.nodes().size() + " nodes, more than the " + MAX_NODES
                    + " a picture shows legibly; draw a smaller formula, or write -o FILE.dot for Graphviz's tools");
        }
        return layout(diagram(g, wrt, digits), g);
    }

    /**
     * Lays out {@code d} left to right. {@code graph}: the computational graph it was drawn from,
     * kept for {@link GraphFiles#json}, or null.
     */
    static GraphPicture layout(Diagram d, ComputationGraph graph) {
        GraphPicture pic = new GraphPicture(d, graph);
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, d.ordered() ? EdgeRouting.POLYLINE : EdgeRouting.ORTHOGONAL);
        if (d.ordered()) {
            root.setProperty(LayeredOptions.CROSSING_MINIMIZATION_STRATEGY,
                    org.eclipse.elk.alg.layered.options.CrossingMinimizationStrategy.NONE);
            root.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY,
                    org.eclipse.elk.alg.layered.options.OrderingStrategy.PREFER_NODES);
        }
        if (d.wrapped()) {
            // Folded where a single arrow crosses between layers, to about a 16:10 page.
            root.setProperty(LayeredOptions.WRAPPING_STRATEGY, org.eclipse.elk.alg.layered.options.WrappingStrategy.SINGLE_EDGE);
            root.setProperty(CoreOptions.ASPECT_RATIO, 1.6);
        }
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
        root.setProperty(CoreOptions.SPACING_EDGE_LABEL, 2.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));
        List<ElkNode> elkNodes = new ArrayList<>();
        for (Diagram.Box b : d.boxes()) {
            List<String> lines = b.lines();
            double w = textWidth(lines.get(0), BOLD);
            for (int k = 1; k < lines.size(); k++) {
                w = Math.max(w, textWidth(lines.get(k), FONT));
            }
            ElkNode e = ElkGraphUtil.createNode(root);
            e.setDimensions(Math.ceil(w + 2 * PAD), Math.ceil(lines.size() * LINE + 2 * PAD));
            elkNodes.add(e);
        }
        List<ElkEdge> elkEdges = new ArrayList<>();
        for (Diagram.Arrow a : d.arrows()) {
            ElkEdge x = ElkGraphUtil.createSimpleEdge(elkNodes.get(a.from()), elkNodes.get(a.to()));
            if (!a.label().isEmpty()) {
                ElkLabel l = ElkGraphUtil.createLabel(a.label(), x);
                l.setDimensions(Math.ceil(textWidth(a.label(), SMALL)) + 4, 13);
                l.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            }
            elkEdges.add(x);
        }
        new LayeredLayoutProvider().layout(root, new BasicProgressMonitor());

        pic.width = root.getWidth();
        pic.height = root.getHeight();
        for (int k = 0; k < d.boxes().size(); k++) {
            Diagram.Box b = d.boxes().get(k);
            ElkNode e = elkNodes.get(k);
            pic.boxes.add(new Box(k, e.getX(), e.getY(), e.getWidth(), e.getHeight(), b.lines(), b.style(), b.muted()));
        }
        for (int k = 0; k < d.arrows().size(); k++) {
            Diagram.Arrow a = d.arrows().get(k);
            ElkEdge x = elkEdges.get(k);
            List<double[]> points = new ArrayList<>();
            for (ElkEdgeSection s : x.getSections()) {
                points.add(new double[] {s.getStartX(), s.getStartY()});
                for (ElkBendPoint b : s.getBendPoints()) {
                    points.add(new double[] {b.getX(), b.getY()});
                }
                points.add(new double[] {s.getEndX(), s.getEndY()});
            }
            ElkLabel l = x.getLabels().isEmpty() ? null : x.getLabels().get(0);
            pic.routes.add(new Route(a.from(), a.to(), points, a.label(), l == null ? 0 : l.getX(), l == null ? 0 : l.getY(),
                    l == null ? 0 : l.getWidth(), l == null ? 0 : l.getHeight(), a.muted()));
        }
        return pic;
    }
}
