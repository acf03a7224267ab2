package dev.backprop.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.batch.Instr.Affine;
import dev.backprop.batch.Instr.Apply;
import dev.backprop.batch.Instr.Dot;
import dev.backprop.batch.Instr.Dot2;
import dev.backprop.batch.Instr.Lin;
import dev.backprop.batch.Instr.Mul2;
import dev.backprop.batch.Instr.MulAdd;
import dev.backprop.batch.Instr.SinCos;
import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each compiler pass on its own, on hand-written instruction lists: what it fuses, and what it must leave. */
class PassesTest {
    private static Ref s(int i) {
        return Ref.slot(i);
    }

    private static Ref u(int i) {
        return Ref.uniform(i);
    }

    private static int[] uses(List<Instr> pass, Ref output, int slots) {
        return Passes.uses(List.of(pass), output, slots);
    }

    @Test
    void aProductReadOnlyByASumBecomesOneAffineStepWhereTheSumStood() {
        Apply product = new Apply(Op.MUL, s(2), u(0), s(0));
        Apply between = new Apply(Op.SIN, s(3), s(1), null);
        Apply sum = new Apply(Op.ADD, s(4), s(3), s(2)); // not next to the product, and the product second
        List<Instr> pass = List.of(product, between, sum);
        List<Instr> fused = Passes.fuseAffine(pass, uses(pass, s(4), 5));
        assertThat(fused).containsExactly(between, new Affine(s(4), u(0), s(0), s(3)));
    }

    @Test
    void aProductReadTwiceOrASumOfItselfIsLeftAlone() {
        Apply product = new Apply(Op.MUL, s(2), u(0), s(0));
        Apply sum = new Apply(Op.ADD, s(3), s(2), u(1));
        List<Instr> readTwice = List.of(product, sum, new Apply(Op.EXP, s(4), s(2), null));
        assertThat(Passes.fuseAffine(readTwice, uses(readTwice, s(4), 5))).isEqualTo(readTwice);
        List<Instr> doubled = List.of(product, new Apply(Op.ADD, s(3), s(2), s(2)));
        assertThat(Passes.fuseAffine(doubled, uses(doubled, s(3), 4))).isEqualTo(doubled);
    }

    @Test
    void twoDotsOfOneAdjointBecomeOneDot2WhereTheSecondStood() {
        Dot first = new Dot(0, s(5), u(1));
        Instr other = new MulAdd(s(6), null, s(5), s(2));
        Dot second = new Dot(1, s(5), s(3));
        Dot elsewhere = new Dot(2, s(7), s(3));
        List<Instr> fused = Passes.fuseDots(List.of(first, other, elsewhere, second));
        assertThat(fused).containsExactly(other, elsewhere, new Dot2(0, 1, s(5), u(1), s(3)));
    }

    @Test
    void aSinAndACosOfOneSlotPairWhereTheFirstStoodAcrossPasses() {
        Apply sin = new Apply(Op.SIN, s(1), s(0), null);
        Apply cosOfOther = new Apply(Op.COS, s(2), s(3), null);
        Apply cos = new Apply(Op.COS, s(4), s(0), null);
        List<List<Instr>> paired = Passes.pairSinCos(List.of(List.of(sin, cosOfOther), List.of(cos)));
        assertThat(paired.get(0)).containsExactly(new SinCos(s(1), s(4), s(0)), cosOfOther);
        assertThat(paired.get(1)).isEmpty();
    }

    @Test
    void twoAdjointProductsInAChainBecomeOneMul2AndANegationMovesOntoTheUniform() {
        MulAdd inner = new MulAdd(s(5), null, s(4), u(0));
        Apply neg = new Apply(Op.NEG, s(6), s(1), null);
        MulAdd outer = new MulAdd(s(7), null, s(5), s(6));
        List<Instr> pass = List.of(inner, neg, outer);
        List<Ref> negated = new ArrayList<>();
        List<Instr> fused = Passes.fuseChains(pass, uses(pass, s(7), 8), e -> {
            negated.add(e);
            return u(9);
        });
        assertThat(fused).containsExactly(new Mul2(s(7), s(4), u(9), s(1)));
        assertThat(negated).containsExactly(u(0));
    }

    @Test
    void aChainWhoseInnerAdjointIsReadElsewhereOrThatAddsToAnAdjointIsLeftAlone() {
        MulAdd inner = new MulAdd(s(5), null, s(4), u(0));
        MulAdd outer = new MulAdd(s(7), null, s(5), s(6));
        List<Instr> readTwice = List.of(inner, outer, new Dot(0, s(5), u(1)));
        assertThat(Passes.fuseChains(readTwice, uses(readTwice, s(7), 8), e -> e)).isEqualTo(readTwice);
        List<Instr> accumulates = List.of(inner, new MulAdd(s(7), s(3), s(5), s(6)));
        assertThat(Passes.fuseChains(accumulates, uses(accumulates, s(7), 8), e -> e)).isEqualTo(accumulates);
    }

    @Test
    void aChainOfThreeFusesItsFirstTwoOnly() {
        MulAdd a = new MulAdd(s(5), null, s(4), u(0));
        MulAdd b = new MulAdd(s(6), null, s(5), s(1));
        MulAdd c = new MulAdd(s(7), null, s(6), s(2));
        List<Instr> pass = List.of(a, b, c);
        assertThat(Passes.fuseChains(pass, uses(pass, s(7), 8), e -> e))
                .containsExactly(new Mul2(s(6), s(4), u(0), s(1)), c);
    }

    @Test
    void aContributionReadOnlyByASumWithABlockBecomesOneMulAddWhereTheSumStood() {
        MulAdd t = new MulAdd(s(3), null, s(1), u(0));
        Apply between = new Apply(Op.EXP, s(4), s(2), null);
        Apply sum = new Apply(Op.ADD, s(5), s(4), s(3)); // the contribution second, not next to it
        List<Instr> pass = List.of(t, between, sum);
        assertThat(Passes.fuseContributionSums(pass, uses(pass, s(5), 6)))
                .containsExactly(between, new MulAdd(s(5), s(4), s(1), u(0)));
    }

    @Test
    void aContributionReadTwiceOrAddedToAUniformOrToItselfOrAlreadyAccumulatingIsLeftAlone() {
        MulAdd t = new MulAdd(s(3), null, s(1), u(0));
        List<Instr> readTwice = List.of(t, new Apply(Op.ADD, s(5), s(2), s(3)), new Apply(Op.EXP, s(6), s(3), null));
        assertThat(Passes.fuseContributionSums(readTwice, uses(readTwice, s(6), 7))).isEqualTo(readTwice);
        List<Instr> uniform = List.of(t, new Apply(Op.ADD, s(5), u(1), s(3)));
        assertThat(Passes.fuseContributionSums(uniform, uses(uniform, s(5), 6))).isEqualTo(uniform);
        List<Instr> doubled = List.of(t, new Apply(Op.ADD, s(5), s(3), s(3)));
        assertThat(Passes.fuseContributionSums(doubled, uses(doubled, s(5), 6))).isEqualTo(doubled);
        List<Instr> accumulating = List.of(new MulAdd(s(3), s(2), s(1), u(0)), new Apply(Op.ADD, s(5), s(4), s(3)));
        assertThat(Passes.fuseContributionSums(accumulating, uses(accumulating, s(5), 6))).isEqualTo(accumulating);
    }

    @Test
    void aTangentStepOfThreeInstructionsBecomesOneLinWhereItsSumStood() {
        // ḣ' = β̇ + (ω̇·h + ḣ·ω): t1 = u1·s0, t2 = t1 + s1·u2, y = u3 + t2.
        MulAdd t1 = new MulAdd(s(2), null, u(1), s(0));
        Apply between = new Apply(Op.EXP, s(4), s(0), null);
        MulAdd t2 = new MulAdd(s(3), s(2), s(1), u(2));
        Apply sum = new Apply(Op.ADD, s(5), u(3), s(3));
        List<Instr> pass = List.of(t1, between, t2, sum);
        assertThat(Passes.fuseLinear(pass, uses(pass, s(5), 6), PassesTest::negated))
                .containsExactly(between, new Lin(s(5), s(0), u(1), s(1), null, u(2), u(3)));
        // Without the last sum (t2 is the output): two terms, no c.
        List<Instr> two = List.of(t1, t2);
        assertThat(Passes.fuseLinear(two, uses(two, s(3), 4), PassesTest::negated)).containsExactly(new Lin(s(3), s(0), u(1), s(1), null, u(2), null));
        // One term plus a uniform (the first layer's ḣ = β̇ + ω̇·x).
        List<Instr> one = List.of(t1, new Apply(Op.ADD, s(3), s(2), u(3)));
        assertThat(Passes.fuseLinear(one, uses(one, s(3), 4), PassesTest::negated)).containsExactly(new Lin(s(3), s(0), u(1), null, null, null, u(3)));
    }

    @Test
    void aPartialSumReadElsewhereOrAProductOfTwoBlocksIsLeftAlone() {
        MulAdd t1 = new MulAdd(s(2), null, u(1), s(0));
        MulAdd t2 = new MulAdd(s(3), s(2), s(1), u(2));
        // t1 read twice: nothing fuses.
        List<Instr> readTwice = List.of(t1, t2, new Apply(Op.EXP, s(4), s(2), null));
        assertThat(Passes.fuseLinear(readTwice, uses(readTwice, s(4), 5), PassesTest::negated)).isEqualTo(readTwice);
        // A product of two blocks is not a Lin term.
        List<Instr> blocks = List.of(new MulAdd(s(2), null, s(1), s(0)), new Apply(Op.ADD, s(3), s(2), u(3)));
        assertThat(Passes.fuseLinear(blocks, uses(blocks, s(3), 4), PassesTest::negated)).isEqualTo(blocks);
        // One term plus a block stays the MulAdd fuseContributionSums makes of it.
        List<Instr> plusBlock = List.of(t1, new Apply(Op.ADD, s(3), s(2), s(1)));
        assertThat(Passes.fuseLinear(plusBlock, uses(plusBlock, s(3), 4), PassesTest::negated)).isEqualTo(plusBlock);
    }

    /** A stand-in for the compiler's negation of a uniform: uniform 100 + i for uniform i. */
    private static Ref negated(Ref k) {
        return u(100 + k.index());
    }

    @Test
    void theSecondTermTakesInAProductOfBlocksAndMovesANegationOntoItsUniform() {
        // cos's layer: p = ḣ·(−sin h), ḣ' = β̇ + (ω̇·cos h + p·ω).
        Apply neg = new Apply(Op.NEG, s(3), s(2), null);
        MulAdd p = new MulAdd(s(4), null, s(1), s(3));
        MulAdd t1 = new MulAdd(s(5), null, u(1), s(0));
        MulAdd t2 = new MulAdd(s(6), s(5), s(4), u(2));
        Apply sum = new Apply(Op.ADD, s(7), u(3), s(6));
        List<Instr> pass = List.of(neg, p, t1, t2, sum);
        assertThat(Passes.fuseLinear(pass, uses(pass, s(7), 8), PassesTest::negated))
                .containsExactly(new Lin(s(7), s(0), u(1), s(1), s(2), u(102), u(3)));
        // The negated block read elsewhere too: the product is taken in, the sign stays where it is.
        List<Instr> negReadTwice = List.of(neg, p, t1, t2, sum, new Apply(Op.EXP, s(8), s(3), null));
        assertThat(Passes.fuseLinear(negReadTwice, uses(negReadTwice, s(8), 9), PassesTest::negated))
                .containsExactly(neg, new Lin(s(7), s(0), u(1), s(1), s(3), u(2), u(3)), new Apply(Op.EXP, s(8), s(3), null));
    }
}
