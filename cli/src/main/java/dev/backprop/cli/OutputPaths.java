package dev.backprop.cli;

import dev.backprop.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Every file a command writes goes through here, so that no output ever destroys what the user
 * had: the paths are checked before any work starts ({@link #check()}), and each file is written
 * by {@link #write}.
 *
 * <ul>
 *   <li>A symbolic link is followed: its final target is written (atomically, beside the target),
 *       and the link stays a link.</li>
 *   <li>A character device ({@code /dev/null}, a terminal) is written directly, as a shell's
 *       {@code >} would; a folder, FIFO, socket or block device is refused, and so is a link into
 *       a process's open files ({@code /dev/stdout}, {@code >(…)}) unless it leads to a terminal.</li>
 *   <li>An output that names an input, or another output, is refused; names are compared after
 *       resolving links, {@code .} and {@code ..}, and hard links count as the same file.</li>
 *   <li>The folder must accept a new file: checked by creating and deleting the temporary file,
 *       which also catches read-only file systems and permissions.</li>
 *   <li>A regular file is written to {@code NAME.tmp-PID} beside the target, flushed to disk and
 *       renamed over it, so a reader never sees half a file and a failed write leaves the old one.
 *       The name is visible on purpose: if the process is killed with {@code kill -9} mid-write the
 *       user sees it; the next write to the same file removes such leftovers whose process is gone.</li>
 * </ul>
 */
final class OutputPaths {
    /** Links followed before giving up, as the kernel's ELOOP limit. */
    private static final int MAX_LINKS = 40;

    private record Named(String option, Path path) {
    }

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /** A file the command reads ({@code option} names it in messages); null is ignored. */
    OutputPaths input(String option, Path path) {
        if (path != null) {
            inputs.add(new Named(option, path));
        }
        return this;
    }

    /** A file the command will write; null is ignored. */
    OutputPaths output(String option, Path path) {
        if (path != null) {
            outputs.add(new Named(option, path));
        }
        return this;
    }

    /**
     * Checks every output before any work: what it names can be written (see the class comment),
     * and it is neither an input nor another output. Throws {@link BadInput} naming the first problem.
     */
    void check() {
        List<Path> seen = new ArrayList<>();
        List<Named> seenNames = new ArrayList<>();
        for (Named o : outputs) {
            Path target = target(o.option(), o.path());
            Kind kind = kind(target);
            checkWritable(o, target, kind);
            if (kind == Kind.DEVICE) {
                continue; // writing /dev/null twice, or while reading a terminal, loses nothing
            }
            for (Named in : inputs) {
                if (same(target, identity(in.path()))) {
                    throw new BadInput(o.option() + " " + o.path() + " is the " + in.option() + " file "
                            + in.path() + "; writing it would destroy the input (choose another name)");
                }
            }
            for (int i = 0; i < seen.size(); i++) {
                if (same(target, seen.get(i))) {
                    throw new BadInput(o.option() + " " + o.path() + " and " + seenNames.get(i).option() + " "
                            + seenNames.get(i).path() + " are the same file; one would overwrite the other");
                }
            }
            seen.add(target);
            seenNames.add(o);
        }
    }

    /** Something that writes a file's bytes. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} (following links; directly to a character device, otherwise through
     * {@code NAME.tmp-PID} and an atomic rename). Throws {@link BadInput} "cannot write FILE: reason"
     * on failure, leaving whatever was there before untouched.
     */
    static void write(Path file, Body body) {
        try {
            Path target = target("output", file);
            if (kind(target) == Kind.DEVICE) {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                    body.writeTo(out);
                }
                return;
            }
            removeStale(target);
            AtomicFile.write(target, body::writeTo, tmp -> copyPermissions(target, tmp));
        } catch (IOException e) {
            throw new BadInput("cannot write " + file + ": " + reason(e));
        }
    }

    /** Text as UTF-8, written as {@link #write(Path, Body)} does. */
    static void write(Path file, String text) {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The temporary file beside {@code target}: {@code NAME.tmp-PID}. */
    static Path temporary(Path target) {
        return AtomicFile.temporary(target);
    }

    /** Removes {@code NAME.tmp-PID} files beside {@code target} left by processes no longer running. */
    static void removeStale(Path target) {
        String prefix = target.getFileName() + ".tmp-";
        DirectoryStream.Filter<Path> stale = p -> {
            String n = p.getFileName().toString();
            if (!n.startsWith(prefix) || n.length() == prefix.length() || n.length() > prefix.length() + 18) {
                return false;
            }
            String digits = n.substring(prefix.length());
            if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            long pid = Long.parseLong(digits);
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        };
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(target.getParent(), stale)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Leftovers are a nuisance, not a failure; the write itself reports real problems.
        }
    }

    private enum Kind { MISSING, REGULAR, DEVICE, DIRECTORY, FIFO, SOCKET, BLOCK_DEVICE, OTHER }

    /**
     * Where writing {@code path} really lands: symbolic links followed (to a target that may not
     * exist yet), inside a folder given by its real path. Throws {@link BadInput} when the folder
     * does not exist or the links loop.
     */
    static Path target(String option, Path path) {
        Path cur = path.toAbsolutePath();
        boolean descriptor = false;
        try {
            for (int i = 0; Files.isSymbolicLink(cur); i++) {
                if (i == MAX_LINKS) {
                    throw new BadInput(option + " " + path + ": too many levels of symbolic links");
                }
                descriptor |= DESCRIPTOR.matcher(cur.normalize().toString()).matches();
                cur = cur.getParent().resolve(Files.readSymbolicLink(cur));
            }
        } catch (IOException e) {
            throw new BadInput(option + " " + path + ": cannot follow the link: " + reason(e));
        }
        Path parent = cur.getParent();
        Path name = cur.getFileName();
        if (parent == null || name == null) {
            return cur; // the root folder
        }
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (IOException e) {
            throw new BadInput(option + " " + path + ": folder " + parent + " does not exist");
        }
        if (!Files.isDirectory(realParent)) {
            throw new BadInput(option + " " + path + ": " + parent + " is not a folder");
        }
        String n = name.toString();
        Path target = n.equals(".") || n.equals("..") ? realParent.resolve(n).normalize() : realParent.resolve(name);
        if (descriptor && kind(target) != Kind.DEVICE) {
            // /dev/stdout or >(…) naming a file or pipe already open: renaming over it would unlink
            // what stdout writes to, and a pipe cannot be renamed over at all. A terminal is fine.
            throw new BadInput(option + " " + path + " is an open file descriptor (standard output, a pipe); give a file name"
                    + " (--json prints the results on standard output)");
        }
        return target;
    }

    /** Links into a process's open files: /dev/stdout → /proc/self/fd/1, /dev/fd/63 from {@code >(…)}. */
    private static final java.util.regex.Pattern DESCRIPTOR = java.util.regex.Pattern.compile("/proc/[^/]+/fd/.*|/dev/fd/.*");

    /** What {@code target} (not a link) is; MISSING when nothing is there. */
    private static Kind kind(Path target) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Kind.MISSING;
        } catch (IOException e) {
            return Kind.OTHER;
        }
        if (a.isRegularFile()) {
            return Kind.REGULAR;
        }
        if (a.isDirectory()) {
            return Kind.DIRECTORY;
        }
        try {
            int type = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            return switch (type) {
                case 0020000 -> Kind.DEVICE;
                case 0010000 -> Kind.FIFO;
                case 0140000 -> Kind.SOCKET;
                case 0060000 -> Kind.BLOCK_DEVICE;
                default -> Kind.OTHER;
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Kind.OTHER;
        }
    }

    private static void checkWritable(Named o, Path target, Kind kind) {
        String what = o.option() + " " + o.path() + (target.equals(o.path().toAbsolutePath()) ? "" : " (" + target + ")");
        switch (kind) {
            case DIRECTORY -> throw new BadInput(what + " is a folder; give a file name");
            case FIFO -> throw new BadInput(what + " is a named pipe (FIFO); give a regular file");
            case SOCKET -> throw new BadInput(what + " is a socket; give a regular file");
            case BLOCK_DEVICE -> throw new BadInput(what + " is a block device; give a regular file");
            case OTHER -> throw new BadInput(what + " is not a regular file; give a regular file");
            case DEVICE -> {
                if (!Files.isWritable(target)) {
                    throw new BadInput(what + ": no permission to write this device");
                }
            }
            case REGULAR, MISSING -> {
                if (kind == Kind.REGULAR && !Files.isWritable(target)) {
                    throw new BadInput(what + " is read-only");
                }
                // Creating the temporary file is the only sure test: permissions, read-only file
                // systems, ACLs and names too long all show up here, before the run.
                removeStale(target);
                Path tmp = temporary(target);
                try {
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                    Files.delete(tmp);
                } catch (IOException e) {
                    throw new BadInput(what + ": cannot create a file in " + target.getParent() + ": " + reason(e));
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** An input's identity for comparison: its real path, or where it would be if it does not exist. */
    private static Path identity(Path input) {
        try {
            return input.toRealPath();
        } catch (IOException | InvalidPathException e) {
            try {
                return target("input", input);
            } catch (BadInput missingFolder) {
                return input.toAbsolutePath().normalize();
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b); // hard links
        } catch (IOException e) {
            return false;
        }
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            if (Files.exists(from)) {
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not POSIX, or not ours to read: the new file keeps the default permissions.
        }
    }

    /** The cause of an I/O failure in a few words ("Read-only file system", "No space left on device"). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
