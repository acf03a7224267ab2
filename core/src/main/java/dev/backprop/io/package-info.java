/**
 * Reading and writing data sets: CSV with a header row, and NumPy {@code .npy} columns; and a small
 * strict JSON reader, with its writer, for parameter and network files and reference fixtures.
 * Reading is strict: bad data stops with the file, line and column (or character), and nothing is
 * skipped silently.
 */
package dev.backprop.io;
