package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
