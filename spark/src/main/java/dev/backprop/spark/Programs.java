package dev.backprop.spark;

import dev.backprop.batch.BatchProgram;
import dev.backprop.formula.Formula;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled batch programs on an executor. A {@link BatchProgram} is not serialisable; tasks carry
 * the formula's text and compile it here, once per executor JVM and formula rather than once per
 * task, which at one task per partition and step would cost more than small partitions' work.
 */
final class Programs {
    private static final Map<String, BatchProgram[]> CACHE = new ConcurrentHashMap<>();

    private Programs() {
    }

    /**
     * The formula compiled over {@code columns} on one thread (a task is one executor core's
     * work), with the kernel fixed; then one program per name in {@code hessian} whose output is
     * the formula's derivative with respect to it (rows of the Hessian).
     */
    static BatchProgram[] get(String source, List<String> columns, boolean simd, List<String> hessian) {
        String key = simd + "\u0000" + columns + "\u0000" + hessian + "\u0000" + source;
        BatchProgram[] p = CACHE.get(key);
        if (p == null) {
            if (CACHE.size() > 64) {
                CACHE.clear(); // a long-lived executor that fits many formulas keeps only recent ones
            }
            Formula f = Formula.compile(source);
            p = new BatchProgram[1 + hessian.size()];
            p[0] = BatchProgram.compile(f.program(), columns).withThreads(1).withSimd(simd);
            for (int i = 0; i < hessian.size(); i++) {
                p[1 + i] = BatchProgram.compile(f.program().derivative(hessian.get(i)), columns).withThreads(1).withSimd(simd);
            }
            CACHE.put(key, p);
        }
        return p;
    }
}
