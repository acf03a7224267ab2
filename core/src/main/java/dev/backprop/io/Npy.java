package dev.backprop.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files holding one column: shape {@code (n,)}, {@code (n, 1)} or {@code (1, n)},
 * dtype float64, float32, int64, int32, int16, int8 or uint8, either byte order, C order.
 */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DIMENSION = Pattern.compile("\\d{1,19}");
    /** The longest header read; numpy's own reader stops at 10,000 bytes unless told otherwise. */
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /**
     * Reads one {@code .npy} file as a column of doubles, straight from the file into the array (no
     * copy of the file in memory). A file whose values cannot fit in the Java heap is refused, by
     * its header, before any value is read.
     */
    public static double[] read(Path file) {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new DataException(name + ": is a folder, not a file");
            }
            long size = Files.isRegularFile(file) ? Files.size(file) : -1;
            try (InputStream in = Files.newInputStream(file)) {
                return read(name, in, size);
            }
        } catch (OutOfMemoryError e) {
            throw Limits.outOfMemory(name);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DataException(name + ": permission denied");
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads several {@code name=file.npy} columns; all must have the same length. */
    public static Columns read(Map<String, Path> files) {
        LinkedHashMap<String, double[]> m = new LinkedHashMap<>();
        String first = null;
        for (Map.Entry<String, Path> e : files.entrySet()) {
            double[] c = read(e.getValue());
            if (first != null && c.length != m.get(first).length) {
                throw new DataException(e.getValue() + ": has " + c.length + " values but "
                        + files.get(first) + " has " + m.get(first).length);
            }
            if (first == null) {
                first = e.getKey();
            }
            m.put(e.getKey(), c);
        }
        return Columns.owning(m); // fresh arrays: no second copy of a large column
    }

    /** Parses the bytes of a {@code .npy} file; {@code name} is used in error messages. */
    static double[] parse(String name, byte[] b) {
        try {
            return read(name, new ByteArrayInputStream(b), b.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a {@code .npy} file from {@code in}.
     *
     * @param size the file's length in bytes, or -1 when unknown (a pipe)
     */
    private static double[] read(String name, InputStream in, long size) throws IOException {
        byte[] magic = new byte[12];
        int got = in.readNBytes(magic, 0, 10);
        if (got < 10 || (magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new DataException(name + ": not a NumPy .npy file");
        }
        int major = magic[6] & 0xff;
        ByteBuffer lenBuf = ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = lenBuf.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (in.readNBytes(magic, 10, 2) < 2) {
                throw new DataException(name + ": truncated .npy header");
            }
            headerLen = lenBuf.getInt(8) & 0xffffffffL; // unsigned, as numpy writes it
            start = 12;
        } else {
            throw new DataException(name + ": .npy format version " + major + " is not supported");
        }
        if (headerLen > MAX_HEADER) {
            throw new DataException(name + ": .npy header of " + headerLen + " bytes is too long (numpy writes a few hundred)");
        }
        if (size >= 0 && start + headerLen > size) {
            throw new DataException(name + ": truncated .npy header");
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new DataException(name + ": truncated .npy header");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(name + ": unreadable .npy header " + Limits.quote(header.strip()));
        }
        String shapeText = "(" + s.group(1).strip() + ")";
        String shown = shapeText.length() <= Limits.QUOTE ? shapeText : Limits.quote(shapeText);
        long count = 1;
        int dims = 0;
        long[] shape = new long[8];
        for (String part : s.group(1).split(",", -1)) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2's numpy wrote (3L,)
            }
            if (p.isEmpty() && part.isBlank()) {
                continue;
            }
            if (dims == shape.length) {
                throw new DataException(name + ": shape " + shown + " has too many dimensions");
            }
            if (!DIMENSION.matcher(p).matches()) {
                throw new DataException(name + ": shape " + shown + " is not a list of sizes (non-negative integers)");
            }
            try {
                shape[dims] = Long.parseLong(p);
                count = Math.multiplyExact(count, shape[dims]);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new DataException(name + ": shape " + shown + " is too large");
            }
            dims++;
        }
        boolean column = dims == 1 || (dims == 2 && (shape[0] == 1 || shape[1] == 1));
        if (!column) {
            throw new DataException(name + ": shape " + shown + " is not one column; expected (n,), (n, 1) or (1, n)");
        }
        char kind = d.group(2).charAt(0);
        String digits = d.group(3);
        int width = digits.length() > 2 ? 0 : Integer.parseInt(digits);
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String dtype = d.group(1) + kind + digits;
        boolean supported = (kind == 'f' && (width == 8 || width == 4))
                || (kind == 'i' && (width == 8 || width == 4 || width == 2 || width == 1))
                || (kind == 'u' && width == 1);
        if (!supported) {
            throw new DataException(name + ": dtype " + Limits.quote(dtype) + " is not supported (use float64)");
        }
        long data = start + headerLen;
        if (count > Integer.MAX_VALUE - 8 || (size >= 0 && data + count * width > size)) {
            throw new DataException(name + ": file is " + (size >= 0 ? size + " bytes, " : "") + "shorter than its shape "
                    + shown + " says" + (count > Integer.MAX_VALUE - 8 ? " or has more values than a Java array holds" : ""));
        }
        Limits.requireHeap(count * 8, name + ": " + count + " values");
        double[] out = new double[(int) count];
        byte[] chunk = new byte[CHUNK - CHUNK % 8];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
        int i = 0;
        while (i < out.length) {
            int want = (int) Math.min(chunk.length / width, out.length - i);
            if (in.readNBytes(chunk, 0, want * width) < want * width) {
                throw new DataException(name + ": file is shorter than its shape " + shown + " says");
            }
            for (int k = 0; k < want; k++, i++) {
                out[i] = switch (kind) {
                    case 'f' -> width == 8 ? buf.getDouble(k * 8) : buf.getFloat(k * 4);
                    case 'i' -> switch (width) {
                        case 8 -> buf.getLong(k * 8);
                        case 4 -> buf.getInt(k * 4);
                        case 2 -> buf.getShort(k * 2);
                        default -> buf.get(k);
                    };
                    default -> buf.get(k) & 0xff;
                };
            }
        }
        return out;
    }

    /** Encodes a column as a version-1.0 {@code .npy} file of little-endian float64, shape (n,). */
    public static byte[] encode(double[] column) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + column.length + ",), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + column.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : column) {
            buf.putDouble(v);
        }
        return buf.array();
    }
}
