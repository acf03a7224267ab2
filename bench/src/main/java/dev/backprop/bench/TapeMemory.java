package dev.backprop.bench;

import dev.backprop.graph.Gradient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * Bytes per operation of the {@link TapeChain} graph (10,000,000 operations, recorded and
 * differentiated), printed as one JSON line. Target: at most 64 bytes per operation.
 *
 * <ul>
 *   <li>{@code allocated}: every byte the recording thread allocated while recording and
 *       differentiating ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), garbage
 *       included: what the collector has to deal with. Measured cold (first run, interpreter and
 *       C1 code, no escape analysis yet) and warm (after three runs).</li>
 *   <li>{@code retained}: heap in use after a full collection while the tape (and then also its
 *       gradient) is still reachable, minus the heap in use before: what the graph costs to
 *       keep.</li>
 * </ul>
 *
 * <p>Run in its own JVM ({@code bench/compare} does) so nothing else is on the heap.
 */
public final class TapeMemory {
    private TapeMemory() {
    }

    /** Prints {@code {"ops":…, "allocated_bytes_per_op_cold":…, …}}; an optional argument sets ops. */
    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : TapeChain.OPS;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();

        double cold = allocatedPerOp(threads, id, ops);
        for (int i = 0; i < 3; i++) {
            allocatedPerOp(threads, id, ops);
        }
        double warm = allocatedPerOp(threads, id, ops);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long base = usedAfterGc(memory);
        TapeChain.Recording r = TapeChain.record(ops);
        long withTape = usedAfterGc(memory);
        Gradient g = r.tape().gradient(r.output());
        long withGradient = usedAfterGc(memory);
        Reference.reachabilityFence(r);
        Reference.reachabilityFence(g);

        System.out.println(String.format(Locale.ROOT,
                "{\"ops\": %d, \"allocated_bytes_per_op_cold\": %.2f, \"allocated_bytes_per_op\": %.2f, "
                        + "\"retained_bytes_per_op\": %.2f, \"retained_with_gradient_bytes_per_op\": %.2f}",
                ops, cold, warm, (double) (withTape - base) / ops, (double) (withGradient - base) / ops));
    }

    private static double allocatedPerOp(com.sun.management.ThreadMXBean threads, long id, int ops) {
        long before = threads.getThreadAllocatedBytes(id);
        double sink = TapeChain.run(ops);
        long after = threads.getThreadAllocatedBytes(id);
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("the chain's gradient is NaN");
        }
        return (double) (after - before) / ops;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        // Several requests: one full collection may leave objects that become unreachable only
        // after reference processing.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
