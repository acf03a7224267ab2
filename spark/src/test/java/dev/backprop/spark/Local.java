package dev.backprop.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for every test class in the run: starting Spark costs seconds, and
 * surefire runs the classes in one JVM. Two worker threads, so partitions really run in parallel.
 */
final class Local {
    private static SparkSession session;

    private Local() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("backprop-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
