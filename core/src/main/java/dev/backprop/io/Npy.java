package dev.backprop.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

    private Npy() {
    }

    /** Reads one {@code .npy} file as a column of doubles. */
    public static double[] read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), bytes);
    }

    /** Reads several {@code name=file.npy} columns; all must have the same length. */
    public static Columns read(Map<String, Path> files) {
        Map<String, double[]> m = new LinkedHashMap<>();
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
        return new Columns(m);
    }

    static double[] parse(String name, byte[] b) {
        if (b.length < 10 || (b[0] & 0xff) != 0x93 || !new String(b, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new DataException(name + ": not a NumPy .npy file");
        }
        int major = b[6];
        ByteBuffer lenBuf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = lenBuf.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new DataException(name + ": truncated .npy header");
            }
            headerLen = lenBuf.getInt(8);
            start = 12;
        } else {
            throw new DataException(name + ": .npy format version " + major + " is not supported");
        }
        if (headerLen < 0 || start + headerLen > b.length) {
            throw new DataException(name + ": truncated .npy header");
        }
        String header = new String(b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(name + ": unreadable .npy header " + header.strip());
        }
        long count = 1;
        int dims = 0;
        long[] shape = new long[8];
        for (String part : s.group(1).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            if (dims == shape.length) {
                throw new DataException(name + ": shape (" + s.group(1) + ") has too many dimensions");
            }
            shape[dims++] = Long.parseLong(part.strip());
            count *= shape[dims - 1];
        }
        boolean column = dims == 1 || (dims == 2 && (shape[0] == 1 || shape[1] == 1));
        if (!column) {
            throw new DataException(name + ": shape (" + s.group(1).strip() + ") is not one column; expected (n,), (n, 1) or (1, n)");
        }
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String dtype = d.group(1) + kind + size;
        boolean supported = (kind == 'f' && (size == 8 || size == 4))
                || (kind == 'i' && (size == 8 || size == 4 || size == 2 || size == 1))
                || (kind == 'u' && size == 1);
        if (!supported) {
            throw new DataException(name + ": dtype '" + dtype + "' is not supported (use float64)");
        }
        int data = start + headerLen;
        if (count > Integer.MAX_VALUE || (long) data + count * size > b.length) {
            throw new DataException(name + ": file is shorter than its shape (" + s.group(1).strip() + ") says");
        }
        ByteBuffer buf = ByteBuffer.wrap(b, data, b.length - data).slice().order(order);
        double[] out = new double[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (kind) {
                case 'f' -> size == 8 ? buf.getDouble(i * 8) : buf.getFloat(i * 4);
                case 'i' -> switch (size) {
                    case 8 -> buf.getLong(i * 8);
                    case 4 -> buf.getInt(i * 4);
                    case 2 -> buf.getShort(i * 2);
                    default -> buf.get(i);
                };
                default -> buf.get(i) & 0xff;
            };
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
