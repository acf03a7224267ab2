package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.op.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's list of formula functions is the rule table's: adding a primitive cannot leave the docs behind. */
class ReadmeFunctionsTest {

    @Test
    void theReadmeListsEveryFunctionOfTheRuleTableInItsOrder() throws IOException {
        Path readme = Path.of("..", "README.md");
        String line = Files.readAllLines(readme, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("- `sin ")).findFirst().orElseThrow();
        List<String> unary = new ArrayList<>();
        List<String> binary = new ArrayList<>();
        for (Op op : Op.values()) {
            if (Op.ofFunctionName(op.symbol()) == op) {
                if (op.unary()) {
                    unary.add(op.symbol());
                } else {
                    binary.add(op.symbol() + (op.accepts(3) ? "(a,b,…)" : "(a,b)"));
                }
            }
        }
        assertThat(line).isEqualTo("- `" + String.join(" ", unary) + "`, and `" + String.join(" ", binary) + "`");
    }
}
