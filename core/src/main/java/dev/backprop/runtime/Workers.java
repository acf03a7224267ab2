package dev.backprop.runtime;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The one worker pool: the JVM's common fork-join pool, with the calling thread doing a share of
 * every job. Starting fresh threads cost ~100 µs a call, more than a whole sum over a few
 * thousand points (a fit's every step); the common pool's threads are already running.
 */
public final class Workers {
    private Workers() {
    }

    /** The number of cores work is split over. */
    public static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs every job, the first on the calling thread and the rest on the pool, and returns when
     * all have finished; a job's exception or error is rethrown here.
     */
    public static void runAll(List<Runnable> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[jobs.size() - 1];
        for (int i = 1; i < jobs.size(); i++) {
            helpers[i - 1] = ForkJoinPool.commonPool().submit(jobs.get(i));
        }
        jobs.get(0).run();
        for (ForkJoinTask<?> h : helpers) {
            h.join();
        }
    }
}
