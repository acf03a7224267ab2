/**
 * Independent checks on derivatives: finite differences (forward, as notebook 7.1 does, and
 * central) and numpy's {@code allclose} comparison.
 */
package dev.backprop.check;
