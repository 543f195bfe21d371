package services.ergo.leader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Term and vote in a small file, written to a temporary file, forced to disk and moved over the old one, so a
 * crash leaves either the old pair or the new one, never half of each.
 */
public final class FilePersistence implements Election.Persistence {
    private final Path file;
    private long term;
    private String votedFor;

    public FilePersistence(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                String[] parts =
                        Files.readString(file, StandardCharsets.UTF_8).strip().split(" ", 2);
                term = Long.parseLong(parts[0]);
                votedFor = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the election state in " + file + ": " + e, e);
        }
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public String votedFor() {
        return votedFor;
    }

    @Override
    public void save(long newTerm, String newVote) {
        if (newTerm == term && java.util.Objects.equals(newVote, votedFor)) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = (newTerm + " " + (newVote == null ? "" : newVote)).getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the election state in " + file, e);
        }
        term = newTerm;
        votedFor = newVote;
    }
}
