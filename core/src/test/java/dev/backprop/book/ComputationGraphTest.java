package dev.backprop.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Program;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph's numbers: values and adjoints against numpy (notebook 7.1), local derivatives by hand. */
class ComputationGraphTest {

    private static ComputationGraph.Node named(ComputationGraph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theToysNodesCarryNumpysValuesAndAdjoints() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/toy/notebook71.json")) {
            Notebook71Test.json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Formula f = Formula.compile(ToyModel.PROGRAM);
        ComputationGraph g = ComputationGraph.of(f, Notebook71Test.section("point"));
        Notebook71Test.section("forward").forEach((name, v) -> Notebook71Test.close(named(g, name).value(), v));
        Notebook71Test.section("backward").forEach((name, d) -> Notebook71Test.close(named(g, name).adjoint(), d));
        Notebook71Test.section("parameters").forEach((name, d) -> Notebook71Test.close(named(g, name).adjoint(), d));
        assertThat(g.nodes().get(g.output()).adjoint()).isEqualTo(1.0);
        assertThat(g.outputName()).isEqualTo("l");
    }

    @Test
    void oneNodePerProgramNodeAndOneEdgePerUse() {
        Formula f = Formula.compile(ToyModel.PROGRAM);
        Program p = f.program();
        ComputationGraph g = ComputationGraph.of(f, ToyModel.notebookPoint());
        int uses = 0;
        for (int i = 0; i < p.size(); i++) {
            uses += p.isOperation(i) ? p.arity(i) : 0;
        }
        assertThat(g.nodes()).hasSize(p.size());
        assertThat(g.edges()).hasSize(uses);
        for (ComputationGraph.Edge e : g.edges()) {
            assertThat(e.from()).isLessThan(e.to());
        }
    }

    @Test
    void aValueReadTwiceShowsBothTermsWhichSumToItsAdjoint() {
        // value = sin(y) + y^2: y feeds sin (local cos y) and ^ (local 2y); ∂/∂y = cos y + 2y
        double y = 0.3;
        ComputationGraph g = ComputationGraph.of(Formula.compile("sin(y) + y^2"), Map.of("y", y));
        ComputationGraph.Node in = named(g, "y");
        assertThat(g.uses(in.id())).extracting(ComputationGraph.Edge::local)
                .containsExactly(Math.cos(y), 2 * y);
        double sum = g.uses(in.id()).stream().mapToDouble(ComputationGraph.Edge::contribution).sum();
        assertThat(sum).isCloseTo(in.adjoint(), within(1e-15));
        assertThat(in.adjoint()).isCloseTo(Math.cos(y) + 2 * y, within(1e-15));
        assertThat(in.kind()).isEqualTo(ComputationGraph.Kind.INPUT);
        assertThat(g.nodes()).anySatisfy(n -> {
            assertThat(n.kind()).isEqualTo(ComputationGraph.Kind.CONSTANT);
            assertThat(n.value()).isEqualTo(2.0);
        });
    }

    @Test
    void xTimesXIsTwoEdgesEachWithItsOwnPartial() {
        ComputationGraph g = ComputationGraph.of(Formula.compile("x*x"), Map.of("x", 3.0));
        assertThat(g.edges()).hasSize(2).allSatisfy(e -> assertThat(e.local()).isEqualTo(3.0));
        assertThat(named(g, "x").adjoint()).isEqualTo(6.0);
    }
}
