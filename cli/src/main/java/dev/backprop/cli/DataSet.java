package dev.backprop.cli;

import dev.backprop.io.Columns;
import dev.backprop.io.Csv;
import dev.backprop.io.DataException;
import dev.backprop.io.Limits;
import dev.backprop.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The data named by {@code --data}: one CSV file with a header row, or a set of NumPy files
 * {@code x=x.npy,y=y.npy}. Knows how to name a row for a user (a CSV line number, or an index).
 */
final class DataSet {
    final Columns columns;
    /** What error messages call the data: the CSV file, or the list of .npy files. */
    final String origin;
    private final boolean csv;
    private final Map<String, Path> files;

    private DataSet(Columns columns, String origin, boolean csv, Map<String, Path> files) {
        this.columns = columns;
        this.origin = origin;
        this.csv = csv;
        this.files = files;
    }

    /**
     * Reads {@code --data}. Data without a row is an error here, for every command: a sum over no
     * rows is 0 and its mean undefined, which would print as a result.
     */
    static DataSet read(String arg) {
        return read(arg, true);
    }

    /**
     * Reads {@code --data} for a command that takes {@code --spark} ({@code sparkTaken}) or not:
     * Parquet and folders, which only Spark reads, are named as such in one line rather than as
     * text that is not UTF-8 or a folder that is not a file.
     */
    static DataSet read(String arg, boolean sparkTaken) {
        sparkOnly(arg, sparkTaken);
        DataSet ds = parse(arg);
        if (ds.columns.rows() == 0) {
            throw new BadInput(ds.origin + ": no rows of data" + (ds.csv ? " (only a header)" : ""));
        }
        return ds;
    }

    /** A Parquet file (by its name or its first bytes, "PAR1") or a folder: data for --spark. */
    private static void sparkOnly(String arg, boolean sparkTaken) {
        if (arg.isBlank() || arg.contains("=")) {
            return;
        }
        Path p;
        try {
            p = Path.of(arg);
        } catch (InvalidPathException e) {
            return; // parse names the problem
        }
        String how = sparkTaken ? " are read with --spark (e.g. --spark 'local[2]')"
                : " are read by grad, fit and train with --spark (e.g. --spark 'local[2]'), not here";
        if (Files.isDirectory(p)) {
            throw new BadInput(arg + " is a folder; folders of CSV or Parquet files" + how);
        }
        if (!Files.exists(p)) {
            return; // the reader says "no such file", whatever the name
        }
        if (arg.toLowerCase(Locale.ROOT).endsWith(".parquet") || isParquet(p)) {
            throw new BadInput(arg + ": Parquet files" + how);
        }
    }

    /** Parquet's "PAR1" at both ends (a CSV may well begin with a column named PAR1). */
    private static boolean isParquet(Path p) {
        if (!Files.isRegularFile(p)) {
            return false; // a FIFO would block the open; the CSV reader names it
        }
        byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
        try (var in = java.nio.channels.FileChannel.open(p)) {
            long size = in.size();
            if (size < 12) {
                return false;
            }
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(4);
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(4);
            while (head.hasRemaining() && in.read(head, head.position()) > 0) {
                // a file channel may read fewer bytes than asked
            }
            while (tail.hasRemaining() && in.read(tail, size - 4 + tail.position()) > 0) {
                // likewise
            }
            return Arrays.equals(head.array(), magic) && Arrays.equals(tail.array(), magic);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // the CSV reader reports an unreadable file in its own words
        }
    }

    private static DataSet parse(String arg) {
        if (arg.isBlank()) {
            throw new BadInput("--data names no file; give FILE.csv or NAME=FILE.npy[,NAME=FILE.npy...]");
        }
        try {
            if (!arg.contains("=")) {
                if (arg.endsWith(".npy")) {
                    throw new BadInput("--data " + arg + ": a .npy file holds one column; name it, as in --data x=" + arg);
                }
                return new DataSet(Csv.read(Path.of(arg)), arg, true, Map.of());
            }
            Map<String, Path> files = new LinkedHashMap<>();
            for (String item : arg.split(",")) {
                String s = item.trim();
                int eq = s.indexOf('=');
                if (eq <= 0 || eq == s.length() - 1) {
                    throw new BadInput("--data expects FILE.csv or NAME=FILE.npy[,NAME=FILE.npy...], got " + Limits.quote(s));
                }
                String name = s.substring(0, eq).trim();
                if (files.put(name, Path.of(s.substring(eq + 1).trim())) != null) {
                    throw new BadInput("--data gives column " + Limits.quote(name) + " twice");
                }
            }
            return new DataSet(Npy.read(files), String.join(", ", files.values().stream().map(Path::toString).toList()),
                    false, files);
        } catch (DataException e) {
            throw new BadInput(e.getMessage());
        } catch (InvalidPathException e) {
            throw new BadInput("--data " + Limits.quote(arg) + ": not a file name: " + e.getReason());
        }
    }

    /**
     * The files {@code --data ARG} names, for {@link OutputPaths} to keep outputs off them; lenient:
     * a malformed argument gives what it can, and {@link #read} reports the problem.
     */
    static java.util.List<Path> paths(String arg) {
        java.util.List<Path> l = new java.util.ArrayList<>();
        if (arg == null) {
            return l;
        }
        try {
            if (!arg.contains("=")) {
                l.add(Path.of(arg));
                return l;
            }
            for (String item : arg.split(",")) {
                int eq = item.indexOf('=');
                if (eq >= 0 && !item.substring(eq + 1).isBlank()) {
                    l.add(Path.of(item.substring(eq + 1).trim()));
                }
            }
        } catch (java.nio.file.InvalidPathException e) {
            // read() says what is wrong with it
        }
        return l;
    }

    /** Where the data for input {@code name} would come from, for a message about it missing. */
    String sourceFor(String name) {
        return csv ? origin : "--data (files: " + String.join(", ", files.keySet()) + ")";
    }

    /** Row {@code i} (0-based) as a user finds it: the CSV line, or the index in the .npy files. */
    String row(int i) {
        return csv ? "row " + (i + 1) + " (" + origin + " line " + (i + 2) + ")" : "row " + (i + 1) + " (index " + i + " of the .npy files)";
    }
}
