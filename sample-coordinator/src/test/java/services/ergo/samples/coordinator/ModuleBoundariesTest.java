package services.ergo.samples.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@code node} and {@code net} are {@code ergo-core}'s internals: nothing outside them but the entry point
 * ({@code services.ergo.Ergo}) may use them. This module's class path holds every published module (core, test
 * kit, etcd registrar, Micrometer binder, starter, its test support, Observer, both samples), so the rule is
 * checked here over all of them at once; {@code ergo-core}'s own {@code ArchitectureTest} holds the package table
 * inside the core.
 */
class ModuleBoundariesTest {

    @Test
    void onlyTheCoreUsesItsInternals() {
        JavaClasses all = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("services.ergo");
        assertThat(all.containPackage("services.ergo.spring.autoconfigure"))
                .as("the starter")
                .isTrue();
        assertThat(all.containPackage("services.ergo.registrar.etcd"))
                .as("the etcd registrar")
                .isTrue();
        assertThat(all.containPackage("services.ergo.micrometer"))
                .as("the Micrometer binder")
                .isTrue();
        assertThat(all.containPackage("services.ergo.testkit"))
                .as("the test kit")
                .isTrue();
        assertThat(all.containPackage("services.ergo.spring.test"))
                .as("the starter's test support")
                .isTrue();
        assertThat(all.containPackage("services.ergo.observer"))
                .as("the Observer")
                .isTrue();
        assertThat(all.containPackage("services.ergo.samples.coordinator"))
                .as("this sample")
                .isTrue();

        noClasses()
                .that()
                .resideOutsideOfPackages("services.ergo.node", "services.ergo.net")
                .and()
                .doNotHaveFullyQualifiedName("services.ergo.Ergo")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("services.ergo.node", "services.ergo.net")
                .because("node and net are internal to ergo-core (docs/architecture.md)")
                .check(all);
    }
}
