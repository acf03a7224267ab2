package dev.backprop.cli;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.optim.Optimizer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code --spark MASTER} runs on: the backprop-spark module, found at run time through
 * {@link ServiceLoader}, so the command line has no compile-time dependency on Spark and a
 * one-shot command loads none of it. Errors come back as {@link IllegalArgumentException} or
 * {@link dev.backprop.io.DataException} with one-line messages, as the single-machine paths give.
 */
public interface SparkBackend {
    /**
     * Starts (or joins) a Spark session on {@code master} and names {@code data}: a CSV file with a
     * header row, a Parquet file, a directory of either, or {@code table:NAME}. Reads the schema only.
     */
    Data open(String master, String data);

    /** A data set on Spark. */
    interface Data extends AutoCloseable {
        /** Every column, in order. */
        List<String> names();

        /** What messages call the data. */
        String origin();

        /** The formula summed over the rows, with {@code columns} bound to columns and the rest to {@code at}. */
        Sum gradient(Formula formula, List<String> columns, Map<String, Double> at);

        /**
         * The first row at which the formula summed as {@link #gradient} sums it, or its
         * derivative with respect to one of {@code wrt}, is not finite, and the step that made it
         * so (as {@link dev.backprop.batch.BatchProgram#firstNonFinite} finds it); empty when
         * they are all finite. One Spark job: ask only once {@link #gradient} found the sum not finite.
         */
        Optional<NonFinite> firstNonFinite(Formula formula, List<String> columns, Map<String, Double> at, Collection<String> wrt);

        /** A fit of {@code parameters}, checked as {@link dev.backprop.fit.FormulaFit#of} checks them. */
        Fit fit(Formula formula, Collection<String> parameters);

        /**
         * A ReLU network to train on the data: by least squares of {@code targets}, or as a
         * classifier against the one column of class labels {@code targets} names.
         *
         * @throws IllegalArgumentException naming a missing column
         */
        NetworkTraining network(List<String> inputs, List<String> targets, boolean classifier);

        /** Stops the session (when this opened it). */
        @Override
        void close();
    }

    /** A sum over {@code n} rows and its gradient with respect to the scalar inputs. */
    record Sum(long n, double sum, Map<String, Double> gradient) {
    }

    /**
     * Where a sum over data on Spark stops being finite.
     *
     * @param row     the row, counted from 0 over the partitions in order (Spark's order of the
     *                rows: the file's order for one CSV file), or -1 when every row is finite and
     *                only their sum overflows
     * @param message what went wrong there, e.g. {@code forward pass: step l = log(x) gave NaN}
     */
    record NonFinite(long row, String message) {
    }

    /**
     * Rows of a data set on Spark brought to this machine (for a chart).
     *
     * @param rows    how many rows the data set has
     * @param columns the rows brought: all {@code rows} of them, or fewer chosen at random
     */
    record Sample(long rows, Columns columns) {
        /** Whether some rows were left out. */
        boolean partial() {
            return columns.rows() < rows;
        }
    }

    /** A prepared distributed fit. */
    interface Fit {
        /** The parameters, in order. */
        List<String> parameters();

        /** The inputs bound to columns. */
        List<String> columns();

        /** The number of rows (a Spark job the first time). */
        long rows();

        /** A sample of the rows of {@link #columns()} for a chart, as {@link NetworkTraining#sample}'s. */
        Sample sample(int most, long seed);

        /** Runs core's training loop with the loss aggregated on Spark. */
        FitResult fit(Map<String, Double> init, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt);
    }

    /** A prepared distributed network training, as {@link dev.backprop.fit.NetworkFit}'s. */
    interface NetworkTraining {
        /** The number of rows (a Spark job the first time). */
        long rows();

        /**
         * At most {@code most} rows of the input and target columns, brought to this machine in one
         * Spark job for a chart: all of them, in order, when there are no more; else a random sample,
         * the same rows for the same {@code seed} (in [0, 2³² − 1]).
         */
        Sample sample(int most, long seed);

        /** A classifier's label column checked for values below {@code bound} (one Spark job). */
        Labels labels(int bound);

        /**
         * Runs core's training loop on Spark from {@code init}; {@code classes} is a classifier's
         * number of classes (its labels checked first), ignored for least squares.
         */
        dev.backprop.fit.NetworkFit.Trained fit(dev.backprop.nn.Network init, int classes, Optimizer optimizer, Schedule schedule,
                                                Progress progress, AtomicBoolean interrupt);
    }

    /**
     * What a label column holds; rows are counted from 0 over the partitions in order (the file's
     * order for one CSV file).
     *
     * @param firstBad     the first row whose value is not a class label, or −1
     * @param badValue     its value
     * @param max          the largest label before it, −1 for no rows
     * @param maxRow       the first row holding that label
     * @param firstOutside the first row (before {@code firstBad}) whose label is not below the bound asked about, or −1
     */
    record Labels(long firstBad, double badValue, int max, long maxRow, long firstOutside) {
    }

    /**
     * The backend on the class path.
     *
     * @throws BadInput saying how to get it, when it is not there
     */
    static SparkBackend load() {
        return ServiceLoader.load(SparkBackend.class).findFirst().orElseThrow(() -> new BadInput(
                "--spark needs the backprop-spark module: run ./backprop from a clone (it builds spark/ when --spark is given), "
                        + "or put spark/target/backprop-spark.jar and Spark's jars on the class path"));
    }
}
