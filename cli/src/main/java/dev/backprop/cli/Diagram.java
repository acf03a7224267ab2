package dev.backprop.cli;

import java.util.List;

/**
 * What a picture shows, before layout: boxes of text and arrows between them. A computational
 * graph ({@code backprop graph}) and a network's units ({@code backprop deep --graph}) both become
 * one, so {@link GraphPicture} lays out and {@link GraphFiles} writes either the same way.
 *
 * @param title  what the picture is, for the SVG's title and the DOT file's first comment
 * @param boxes  the boxes; an arrow names them by their index in this list
 * @param arrows the arrows, drawn in this order
 * @param ordered whether boxes keep their list order within a column and arrows run straight, as
 *                a network's units are drawn; else crossings are minimised and arrows routed at
 *                right angles, which keeps a formula's graph readable
 * @param wrapped whether a long chain is folded into rows (ELK's graph wrapping) so the picture
 *                keeps a page's proportions: a deep network's layers, one box each, would
 *                otherwise make one row tens of thousands of pixels long
 */
record Diagram(String title, List<Box> boxes, List<Arrow> arrows, boolean ordered, boolean wrapped) {
    /** Copies the lists so a diagram cannot change under its layout. */
    Diagram {
        boxes = List.copyOf(boxes);
        arrows = List.copyOf(arrows);
    }

    /** A diagram in one row, left to right. */
    Diagram(String title, List<Box> boxes, List<Arrow> arrows, boolean ordered) {
        this(title, boxes, arrows, ordered, false);
    }

    /** One box: lines of text (the first, its title, in bold), its colour, and whether it is greyed. */
    record Box(List<String> lines, GraphPicture.Style style, boolean muted) {
        /** Copies the lines. */
        Box {
            lines = List.copyOf(lines);
        }
    }

    /** An arrow from box {@code from} to box {@code to}; an empty label draws none. */
    record Arrow(int from, int to, String label, boolean muted) {
    }
}
