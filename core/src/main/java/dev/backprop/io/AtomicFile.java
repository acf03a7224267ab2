package dev.backprop.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writing a file so that a reader never sees half of it and a failed write leaves the old one: the
 * bytes go to {@code NAME.tmp-PID} beside it, are forced to disk, and the temporary file is then
 * renamed over the target (atomically where the file system can).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Something that writes a file's bytes. */
    @FunctionalInterface
    public interface Body {
        /** Writes the bytes to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Something done to the written temporary file before it is renamed over the target. */
    @FunctionalInterface
    public interface BeforeRename {
        /** Adjusts {@code tmp} (its permissions, say). */
        void accept(Path tmp) throws IOException;
    }

    /** The temporary file beside {@code target}: {@code NAME.tmp-PID}. */
    public static Path temporary(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    /** Writes {@code target} from {@code body}, atomically as the class says. */
    public static void write(Path target, Body body) throws IOException {
        write(target, body, tmp -> { });
    }

    /** {@link #write(Path, Body)}, with {@code beforeRename} applied to the written temporary file. */
    public static void write(Path target, Body body, BeforeRename beforeRename) throws IOException {
        Path tmp = temporary(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch));
                body.writeTo(out);
                out.flush();
                ch.force(true); // on disk before the rename makes it the file
            }
            beforeRename.accept(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
