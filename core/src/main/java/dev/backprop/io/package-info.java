/**
 * Reading and writing data sets: CSV with a header row, and NumPy {@code .npy} columns. Reading is
 * strict: bad data stops with the file, line and column, and nothing is skipped silently.
 */
package dev.backprop.io;
