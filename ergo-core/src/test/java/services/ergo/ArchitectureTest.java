package services.ergo;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code docs/architecture.md}'s dependency table: the table is read from the page itself, so the page and
 * the code cannot drift apart without this test failing.
 */
class ArchitectureTest {
    private static final String BASE = "services.ergo";
    /** A row of the table: {@code | `services.ergo.net` | `node`, `registrar`, `gen` |}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(services\\.ergo(?:\\.[a-z]+)?)`\\s*\\|([^|]*)\\|");

    private static JavaClasses core;
    private static Map<String, List<String>> table;

    @BeforeAll
    static void importCore() throws IOException {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
        table = readTable(Path.of("..", "docs", "architecture.md"));
    }

    @Test
    void everyPackageUsesOnlyWhatTheArchitecturePageAllows() {
        assertThat(table)
                .as("the dependency table of docs/architecture.md")
                .containsKeys(BASE + ".gen", BASE + ".node", BASE + ".net", BASE + ".act", BASE + ".leader");
        Set<String> packages = new java.util.TreeSet<>();
        core.forEach(c -> packages.add(c.getPackageName()));
        assertThat(table.keySet()).as("every package of ergo-core has a row").containsAll(packages);
        table.forEach((pkg, allowed) -> {
            List<String> ok = new ArrayList<>(allowed);
            ok.add(pkg);
            classes()
                    .that()
                    .resideInAPackage(pkg)
                    .should()
                    .onlyDependOnClassesThat(
                            resideOutsideOfPackage(BASE + "..").or(resideInAnyPackage(ok.toArray(String[]::new))))
                    .because("docs/architecture.md lets " + pkg + " use only " + allowed)
                    .check(core);
        });
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void theNetworkSeesOfTheNodeOnlyItsSeam() {
        classes()
                .that()
                .resideInAPackage(BASE + ".net")
                .should()
                .onlyDependOnClassesThat(describe(
                        "outside services.ergo.node, or the seam (Core, RemoteRouter, MailboxQueue)",
                        (JavaClass c) -> !c.getPackageName().equals(BASE + ".node")
                                || Set.of("Core", "RemoteRouter", "MailboxQueue")
                                        .contains(c.getSimpleName())))
                .check(core);
    }

    /** The rows of the first table whose header is {@code | package | may use |}. */
    static Map<String, List<String>> readTable(Path page) throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean in = false;
        for (String line : Files.readAllLines(page)) {
            if (line.replace(" ", "").startsWith("|package|mayuse|")) {
                in = true;
                continue;
            }
            if (!in) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                List<String> allowed = new ArrayList<>();
                Matcher uses = Pattern.compile("`([a-z.]+)`").matcher(m.group(2));
                while (uses.find()) {
                    allowed.add(BASE + "." + uses.group(1));
                }
                rows.put(m.group(1), allowed);
            }
        }
        return rows;
    }
}
