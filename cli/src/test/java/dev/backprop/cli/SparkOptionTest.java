package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code --spark} where the Spark module is not on the class path (as in this module's tests):
 * one line saying how to get it, exit 2, before any data is read.
 */
class SparkOptionTest {
    private static String[] run(int[] code, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        code[0] = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void withoutTheModuleGradAndFitSayHowToGetIt() {
        for (String[] args : new String[][] {
            {"grad", "a*x", "--data", "no-such.csv", "--at", "a=1", "--spark", "local[2]"},
            {"fit", "a*x", "--data", "no-such.csv", "--init", "a=1", "--spark", "local[2]"}}) {
            int[] code = new int[1];
            String[] r = run(code, args);
            assertThat(code[0]).isEqualTo(2);
            assertThat(r[0]).isEmpty();
            assertThat(r[1]).startsWith("backprop: --spark needs the backprop-spark module").endsWith("\n");
            assertThat(r[1].lines().count()).isEqualTo(1);
        }
    }

    /**
     * A command's --help with its spaces taken out, so a phrase (also without spaces) can be
     * looked for across picocli's line breaks, which may fall after any punctuation (HOST: PORT).
     */
    static String help(String command) {
        int[] code = new int[1];
        String[] r = run(code, command, "--help");
        assertThat(code[0]).isZero();
        return r[0].replaceAll("\\s+", "");
    }

    /** ./backprop's class path has no yarn or Kubernetes cluster manager: the help must not offer them there. */
    @Test
    void theHelpSendsYarnAndKubernetesToSparkSubmit() {
        for (String command : new String[] {"grad", "fit", "train"}) {
            assertThat(help(command)).as(command)
                    .contains("(local[N],orastandalonecluster'smasterURL;YARNandKubernetesmastersthroughspark-submit,README\"Onacluster\")")
                    .doesNotContain("yarn,k8s");
        }
    }

    /** What --spark changes in the other options is said in their own help lines. */
    @Test
    void theHelpSaysWhatSparkChangesInOtherOptions() {
        for (String command : new String[] {"grad", "fit", "train"}) {
            assertThat(help(command)).as(command).contains("Parquet,foldersofCSVorParquetfilesandtable:NAMEwith--spark.");
        }
        for (String command : new String[] {"fit", "train"}) {
            assertThat(help(command)).as(command).contains("--seed=<seed>Seedofthemini-batchshuffling,numpy'spermutation;"
                    + "with--spark--plotitalsochoosesthechart's2,000-rowsample(default:0).");
        }
        assertThat(help("fit")).contains("plusnoise(notwith--spark:thedemomakesitsownsmalldata).");
        int[] code = new int[1];
        String[] r = run(code, "fit", "--demo", "--spark", "local[2]");
        assertThat(code[0]).isEqualTo(2);
        assertThat(r[1]).startsWith("backprop: --spark fits FORMULA to --data on Spark; --demo makes its own small data");
    }

    /**
     * A cluster's data may pass 2³¹ − 1 rows: full batches take it, --batch (a permutation of int
     * row numbers) is refused before any step, in the one line Main prints for a BadInput.
     */
    @Test
    void miniBatchesPastAnIntOfRowsAreRefusedUpFront() {
        long rows = 3_000_000_000L;
        dev.backprop.fit.Schedule full = dev.backprop.fit.Schedule.epochs(2);
        Training.requireBatchable(full, rows, "big.parquet");
        Training.requireBatchable(full.withBatch(64), Integer.MAX_VALUE, "big.parquet");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Training.requireBatchable(full.withBatch(64), rows, "big.parquet"))
                .isInstanceOf(BadInput.class)
                .hasMessage("big.parquet: 3,000,000,000 rows; --batch draws mini-batches from a permutation of the row numbers, "
                        + "at most 2,147,483,647 rows; drop --batch for full batches");
    }

    @Test
    void sparkWithoutDataOrWithTheDemoIsRefused() {
        int[] code = new int[1];
        String[] r = run(code, "grad", "a*x", "--at", "a=1,x=2", "--spark", "local[2]");
        assertThat(code[0]).isEqualTo(2);
        assertThat(r[1]).isEqualTo("backprop: --spark sums over --data on Spark; give --data FILE\n");
        r = run(code, "fit", "--demo", "--spark", "local[2]");
        assertThat(code[0]).isEqualTo(2);
        assertThat(r[1]).startsWith("backprop: --spark fits FORMULA to --data on Spark");
    }
}
