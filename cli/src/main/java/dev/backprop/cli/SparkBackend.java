package dev.backprop.cli;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.optim.Optimizer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

        /** A fit of {@code parameters}, checked as {@link dev.backprop.fit.FormulaFit#of} checks them. */
        Fit fit(Formula formula, Collection<String> parameters);

        /** Stops the session (when this opened it). */
        @Override
        void close();
    }

    /** A sum over {@code n} rows and its gradient with respect to the scalar inputs. */
    record Sum(long n, double sum, Map<String, Double> gradient) {
    }

    /** A prepared distributed fit. */
    interface Fit {
        /** The parameters, in order. */
        List<String> parameters();

        /** The inputs bound to columns. */
        List<String> columns();

        /** The number of rows (a Spark job the first time). */
        long rows();

        /** Runs core's training loop with the loss aggregated on Spark. */
        FitResult fit(Map<String, Double> init, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt);
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
