/**
 * The primitive table: each primitive operation's value and local partial derivatives, declared
 * together in {@link dev.backprop.op.Op}. Every engine in the library (scalar tapes, compiled
 * formulas, closed-form derivatives, tensors) takes its rules from here, so a rule is written once.
 */
package dev.backprop.op;
