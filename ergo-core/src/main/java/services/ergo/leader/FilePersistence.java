package services.ergo.leader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Term, vote and membership in a small file, written to a temporary file, forced to disk and moved over the old
 * one, so a crash leaves either the old state or the new one, never half of each. The first line is
 * {@code term vote}, the second (once the group has a membership) {@code term version member...}.
 */
final class FilePersistence implements Election.Persistence {
    private final Path file;
    private long term;
    private @Nullable String votedFor;
    private @Nullable Membership membership;

    FilePersistence(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                String[] parts = lines.get(0).strip().split(" ", 2);
                term = Long.parseLong(parts[0]);
                votedFor = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
                if (lines.size() > 1 && !lines.get(1).isBlank()) {
                    String[] m = lines.get(1).strip().split(" ");
                    membership = new Membership(
                            Long.parseLong(m[0]),
                            Long.parseLong(m[1]),
                            Arrays.asList(m).subList(2, m.length));
                }
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
    public @Nullable String votedFor() {
        return votedFor;
    }

    @Override
    public @Nullable Membership membership() {
        return membership;
    }

    @Override
    public void save(long newTerm, @Nullable String newVote) {
        if (newTerm == term && Objects.equals(newVote, votedFor)) {
            return;
        }
        write(newTerm, newVote, membership);
        term = newTerm;
        votedFor = newVote;
    }

    @Override
    public void saveMembership(Membership newMembership) {
        if (Objects.equals(newMembership, membership)) {
            return;
        }
        write(term, votedFor, newMembership);
        membership = newMembership;
    }

    private void write(long t, @Nullable String vote, @Nullable Membership m) {
        StringBuilder text = new StringBuilder().append(t).append(' ').append(vote == null ? "" : vote);
        if (m != null) {
            text.append('\n').append(m.term()).append(' ').append(m.version());
            m.members().forEach(member -> text.append(' ').append(member));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text.append('\n').toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // the rename lives in the directory: force it too, or a power loss may bring the old term and vote back
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the election state in " + file, e);
        }
    }
}
