/**
 * The primitive table: each primitive operation's value and local partial derivatives, declared
 * together in {@link dev.backprop.op.Op}. Every engine in the library (scalar tapes, compiled
 * formulas, closed-form derivatives, tensors) takes its rules from here, so a rule is written once.
 * A user's own function, registered at run time with its value and partials, is a {@link
 * dev.backprop.op.CustomFunction}; it and {@code Op} are both {@link dev.backprop.op.Rule}s, which
 * the scalar and batch engines and closed forms accept (tensors take {@code Op} only).
 */
package dev.backprop.op;
