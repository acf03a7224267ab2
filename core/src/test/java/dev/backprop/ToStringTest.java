package dev.backprop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.StopReason;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import dev.backprop.graph.Tape;
import dev.backprop.graph.Var;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.TensorTape;
import dev.backprop.tensor.TensorVar;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a Java user sees when printing a value: the values, never an object address, and short. */
class ToStringTest {

    @Test
    void scalarValuesPrintTheirNodeAndValue() {
        Tape t = new Tape();
        Var x = t.input("x", 0.5);
        Var two = t.constant(2.0);
        Var y = x.mul(two);
        Var h = y.sin().named("h");
        assertThat(x).hasToString("Var[x = 0.5, input]");
        assertThat(two).hasToString("Var[2, constant]");
        // The first unnamed operation is step t1 (not its node index, 2), and 2.0 reads as typed.
        assertThat(y).hasToString("Var[t1 = x * 2 = 1.0]");
        assertThat(h).hasToString("Var[h = sin(t1) = " + Math.sin(1.0) + "]");
        assertThat(t).hasToString("Tape[4 nodes; inputs x]");
        assertThat(t.gradient(h)).hasToString("Gradient[of h: x=" + 2 * Math.cos(1.0) + "]");
        assertThat(t.constant(-0.5).mul(x)).hasToString("Var[t2 = (-0.5) * x = -0.25]");
    }

    @Test
    void anEvaluationAndItsGradientPrintTheOutputAndTheInputs() {
        Evaluation e = Formula.compile("l = a*x").program().evaluate(2.0, 3.0);
        assertThat(e).hasToString("Evaluation[l = 6.0 at a=2.0, x=3.0]");
        assertThat(e.gradient()).hasToString("Gradient[of l: a=3.0, x=2.0]");
        assertThat(e.gradient(new double[] {1, 0, 0})).hasToString("Gradient[of seeded nodes: a=1.0, x=0.0]");
    }

    @Test
    void manyInputsAreCutAfterTen() {
        StringBuilder src = new StringBuilder("0");
        for (int i = 0; i < 25; i++) {
            src.append(" + p").append(i);
        }
        Program p = Formula.compile(src.toString()).program();
        String s = p.evaluate(new double[25]).toString();
        assertThat(s).contains("p9=0.0, … (25 in all)]").doesNotContain("p10");
        assertThat(p.evaluate(new double[25]).gradient().toString()).endsWith("p9=1.0, … (25 in all)]");
    }

    @Test
    void aTensorPrintsItsShapeAndAtMostSixEntriesPerAxis() {
        assertThat(Tensor.scalar(3.5)).hasToString("Tensor() 3.5");
        assertThat(Tensor.vector(1, 2, 3, 4, 5, 6)).hasToString("Tensor(6,) [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]");
        assertThat(Tensor.vector(1, 2, 3, 4, 5, 6, 7)).hasToString("Tensor(7,) [1.0, 2.0, 3.0, ..., 5.0, 6.0, 7.0]");
        double[] d = new double[8 * 2];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        assertThat(Tensor.of(d, 8, 2)).hasToString("Tensor(8, 2) [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], ..., "
                + "[10.0, 11.0], [12.0, 13.0], [14.0, 15.0]]");
        assertThat(Tensor.zeros(0, 3)).hasToString("Tensor(0, 3) []");
        String big = Tensor.zeros(1000, 1000).toString();
        assertThat(big).startsWith("Tensor(1000, 1000) [[0.0, 0.0, 0.0, ..., 0.0, 0.0, 0.0], ").hasSizeLessThan(400);
    }

    @Test
    void tensorValuesAndGradientsPrintTheirNamesAndTensors() {
        TensorTape tape = new TensorTape();
        TensorVar w = tape.input("w", Tensor.vector(1, 2));
        TensorVar loss = w.square().sum();
        assertThat(w).hasToString("TensorVar[w = Tensor(2,) [1.0, 2.0]]");
        assertThat(loss).hasToString("TensorVar[t2 = Tensor() 5.0]");
        assertThat(tape.gradient(loss)).hasToString("TensorGradients[w=Tensor(2,) [2.0, 4.0]]");
    }

    @Test
    void aFitResultPrintsTheFirstTenParameters() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add("w" + i);
        }
        FitResult r = new FitResult(names, new double[30], 2.0, 1.0, new double[] {2.0, 1.0}, 2, new StopReason.Completed());
        assertThat(r.toString()).startsWith("FitResult[w0=0.0, ").endsWith("w9=0.0, … (30 in all); loss 1.0 (from 2.0), 2 steps, Completed[]]");
    }
}
