package services.ergo.leader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Term, vote and membership in a small file, written to a temporary file, forced to disk and moved over the old
 * one, so a crash leaves either the old state or the new one, never half of each. The first line is
 * {@code term vote}, the second (once the group has a membership) {@code term version member...}.
 *
 * <p>The state decides whom a member votes for, so nobody else may write it: every directory from the state
 * directory down is created owner-only ({@code rwx------} where the file system is POSIX), and one that is a
 * symbolic link, is owned by another user or is writable by its group or others is refused. No symbolic link is
 * followed when the file is read or written, and every name is checked before it is stored, so a name cannot add
 * lines to the file.
 */
final class FilePersistence implements Election.Persistence {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path file;
    private final boolean posix;
    private long term;
    private @Nullable String votedFor;
    private @Nullable Membership membership;

    /** The file {@code file}, in a directory checked as the state directory. */
    FilePersistence(Path file) {
        this(file.getParent(), file, currentUser());
    }

    /**
     * The file {@code file} under the state directory {@code root}: each directory from {@code root} down to the
     * file's is created or checked; {@code owner} is who must own them (null: not checked).
     */
    FilePersistence(Path root, Path file, @Nullable UserPrincipal owner) {
        this.file = file;
        this.posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        prepareDirectories(root, file.getParent(), owner);
        try {
            if (Files.exists(file, NOFOLLOW)) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the election state in " + file + ": " + e, e);
        }
    }

    private void read() throws IOException {
        if (!Files.isRegularFile(file, NOFOLLOW)) {
            throw new IOException("not a regular file (a symbolic link is never followed)");
        }
        String text;
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 20));
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // a state file is a few hundred bytes; the bound keeps a planted huge one from filling the heap
            }
            text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>(text.lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty() || lines.size() > 2) {
            throw new IOException("expected 1 or 2 lines, found " + lines.size());
        }
        String[] parts = lines.get(0).strip().split(" ", 2);
        term = nonNegative(Long.parseLong(parts[0]), "term");
        votedFor = parts.length > 1 && !parts[1].isEmpty() ? MemberNames.require("the vote", parts[1]) : null;
        if (lines.size() > 1 && !lines.get(1).isBlank()) {
            String[] m = lines.get(1).strip().split(" ");
            List<String> members = Arrays.asList(m).subList(2, m.length);
            members.forEach(member -> MemberNames.require("a member", member));
            membership = new Membership(
                    nonNegative(Long.parseLong(m[0]), "membership term"),
                    nonNegative(Long.parseLong(m[1]), "membership version"),
                    members);
        }
    }

    private static long nonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more, got " + value);
        }
        return value;
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
        nonNegative(newTerm, "term");
        if (newVote != null) {
            MemberNames.require("the vote", newVote);
        }
        if (newTerm == term && Objects.equals(newVote, votedFor)) {
            return;
        }
        write(newTerm, newVote, membership);
        term = newTerm;
        votedFor = newVote;
    }

    @Override
    public void saveMembership(Membership newMembership) {
        newMembership.members().forEach(member -> MemberNames.require("a member", member));
        nonNegative(newMembership.term(), "membership term");
        nonNegative(newMembership.version(), "membership version");
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
            // a leftover of a crash, or something planted: removed (a link itself, never what it points to), and
            // the file made anew, exclusively, so that nothing in its place is ever followed
            Files.deleteIfExists(tmp);
            Set<OpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
            try (FileChannel ch = posix
                    ? FileChannel.open(tmp, create, PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : FileChannel.open(tmp, create)) {
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

    // ------------------------------------------------------------------ the directories

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private void prepareDirectories(Path root, Path dir, @Nullable UserPrincipal owner) {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            chain.add(0, p);
            if (p.equals(root)) {
                break;
            }
        }
        try {
            Path above = root.toAbsolutePath().getParent();
            if (above != null && !Files.isDirectory(above)) {
                // the parents of a default such as ~/.local/state/ergo/leader: made owner-only like the rest
                Files.createDirectories(above, directoryAttributes());
            }
            for (Path p : chain) {
                prepare(p, owner);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the leader state directory " + dir + ": " + e, e);
        }
    }

    private FileAttribute<?>[] directoryAttributes() {
        return posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
                : new FileAttribute<?>[0];
    }

    private void prepare(Path dir, @Nullable UserPrincipal owner) throws IOException {
        if (!Files.exists(dir, NOFOLLOW)) {
            try {
                Files.createDirectory(dir, directoryAttributes());
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile: checked below like any other
            }
        }
        if (Files.isSymbolicLink(dir)) {
            throw refused(dir, "is a symbolic link; give the directory it points to instead");
        }
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            throw refused(dir, "is not a directory");
        }
        UserPrincipal found;
        if (posix) {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, NOFOLLOW);
            found = a.owner();
            Set<PosixFilePermission> p = a.permissions();
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw refused(
                        dir,
                        "is writable by its group or others (" + PosixFilePermissions.toString(p)
                                + "): chmod go-w it, or name a directory below it, which is then made owner-only");
            }
        } else {
            found = Files.getOwner(dir, NOFOLLOW);
        }
        if (owner != null && !owner.equals(found)) {
            throw refused(
                    dir,
                    "is owned by " + found.getName() + ", not by " + owner.getName()
                            + ", the user this process runs as");
        }
    }

    private static IllegalStateException refused(Path dir, String why) {
        return new IllegalStateException("the leader state directory " + dir + " " + why
                + " (option stateDirectory, property ergo.leader.groups.<id>.state-directory)");
    }

    private static volatile @Nullable UserPrincipal currentUser;

    /** Who this process runs as, as file owners are named: the owner of a file it just made. */
    static @Nullable UserPrincipal currentUser() {
        UserPrincipal me = currentUser;
        if (me == null) {
            try {
                Path probe = Files.createTempFile("ergo-leader-owner", ".probe");
                try {
                    me = Files.getOwner(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
                currentUser = me;
            } catch (IOException | UnsupportedOperationException unknown) {
                return null; // no temporary directory to write in: the owner is not checked
            }
        }
        return me;
    }
}
