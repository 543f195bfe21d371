package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a member keeps on disk is what it finds after a restart; a damaged file stops it with the file's name. */
class FilePersistenceTest {
    @TempDir
    Path dir;

    @Test
    void termVoteAndMembershipSurviveARestart() {
        Path file = dir.resolve("g").resolve("a@n1");
        FilePersistence first = new FilePersistence(file);
        assertThat(first.term()).isZero();
        assertThat(first.votedFor()).isNull();
        assertThat(first.membership()).isNull();

        first.save(7, "b@n2@h");
        Membership m = new Membership(7, 3, List.of("c@n3@h", "a@n1@h", "b@n2@h"));
        first.saveMembership(m);

        FilePersistence again = new FilePersistence(file);
        assertThat(again.term()).isEqualTo(7);
        assertThat(again.votedFor()).isEqualTo("b@n2@h");
        assertThat(again.membership()).isEqualTo(m);
        assertThat(again.membership().members()).containsExactly("a@n1@h", "b@n2@h", "c@n3@h");

        again.save(8, null);
        assertThat(new FilePersistence(file).membership()).isEqualTo(m);
        assertThat(new FilePersistence(file).votedFor()).isNull();
    }

    @Test
    void aFileFromBeforeMembershipsWereKeptStillReads() throws Exception {
        Path file = dir.resolve("old");
        Files.writeString(file, "4 a@n1@h");
        FilePersistence p = new FilePersistence(file);
        assertThat(p.term()).isEqualTo(4);
        assertThat(p.votedFor()).isEqualTo("a@n1@h");
        assertThat(p.membership()).isNull();
    }

    @Test
    void aDamagedFileIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("bad");
        Files.writeString(file, "4 a@n1@h\nseven 2 a@n1@h\n");
        assertThatThrownBy(() -> new FilePersistence(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aVoteCarryingALineBreakIsRefusedAndCannotPlantAMembership() {
        Path file = dir.resolve("g").resolve("a@n1");
        FilePersistence p = new FilePersistence(file);
        assertThatThrownBy(() -> p.save(5, "a@b\n9 9 ghost@x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the vote");
        assertThatThrownBy(() -> p.save(5, "a@b 9 9 ghost@x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.saveMembership(new Membership(1, 1, List.of("a@n1@h", "ghost"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a member");
        FilePersistence again = new FilePersistence(file);
        assertThat(again.term()).isZero();
        assertThat(again.membership()).isNull();
    }

    @Test
    void aFileWithAPlantedLineOrANameThatIsNotAMembersIsRefused() throws Exception {
        Path file = dir.resolve("planted");
        Files.writeString(file, "5 a@b\n9 9 ghost@x\n3 3 more@x\n");
        assertThatThrownBy(() -> new FilePersistence(file)).isInstanceOf(IllegalStateException.class);
        Files.writeString(file, "5 a@b\n");
        assertThatThrownBy(() -> new FilePersistence(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the vote");
    }

    @Test
    void aSymbolicLinkPlantedAsTheTemporaryFileIsNeverFollowed() throws Exception {
        Path canary = dir.resolve("canary");
        Files.writeString(canary, "untouched");
        Path group = Files.createDirectory(dir.resolve("g"));
        Path file = group.resolve("a@n1@h");
        Files.createSymbolicLink(group.resolve("a@n1@h.tmp"), canary);

        FilePersistence p = new FilePersistence(dir, file, FilePersistence.currentUser());
        p.save(3, "b@n2@h");

        assertThat(Files.readString(canary)).isEqualTo("untouched");
        assertThat(Files.isSymbolicLink(group.resolve("a@n1@h.tmp"))).isFalse();
        assertThat(new FilePersistence(file).term()).isEqualTo(3);
    }

    @Test
    void aStateFileThatIsALinkIsNotRead() throws Exception {
        Path canary = dir.resolve("elsewhere");
        Files.writeString(canary, "7 a@n1@h\n");
        Path file = dir.resolve("linked");
        Files.createSymbolicLink(file, canary);
        assertThatThrownBy(() -> new FilePersistence(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void directoriesAreMadeOwnerOnly() throws Exception {
        Path root = dir.resolve("state");
        new FilePersistence(root, root.resolve("g").resolve("a@n1@h"), FilePersistence.currentUser()).save(1, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("g"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("g/a@n1@h"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aStateDirectoryThatIsALinkIsWritableByOthersOrOwnedByAnotherUserIsRefusedNamingTheOption() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThatThrownBy(() -> new FilePersistence(link, link.resolve("g/a@n1@h"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("symbolic link")
                .hasMessageContaining("state-directory");

        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> new FilePersistence(shared, shared.resolve("g/a@n1@h"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writable by its group or others");

        Path group = Files.createDirectory(dir.resolve("group"));
        Files.setPosixFilePermissions(group, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> new FilePersistence(group, group.resolve("a@n1@h"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writable by its group or others");

        Path mine = Files.createDirectory(dir.resolve("mine"));
        UserPrincipal other = someoneElse();
        assertThatThrownBy(() -> new FilePersistence(mine, mine.resolve("a@n1@h"), other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is owned by")
                .hasMessageContaining(other.getName());
    }

    /** A user who does not own what this test makes: the owner check compares against the one given. */
    private static UserPrincipal someoneElse() throws Exception {
        var lookup = java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal me = FilePersistence.currentUser();
        for (String name : List.of("nobody", "root", "daemon")) {
            try {
                UserPrincipal u = lookup.lookupPrincipalByName(name);
                if (!u.equals(me)) {
                    return u;
                }
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException absent) {
                // try the next
            }
        }
        throw new IllegalStateException("no other user on this host to compare with");
    }
}
