package dev.keyhole.ftp.alg.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.keyhole.ftp.alg.FtpAlg;
import dev.keyhole.ftp.server.ApiDocs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ALG's shape (docs/architecture.md): it stands on the shared transport only. Its tests use a
 * real Keyhole server as the upstream, so the server is on the test class path: this checks that
 * the ALG's own classes never reach for it, nor for the client or the application.
 */
class AlgArchitectureTest {

  private static final JavaClasses ALG = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("dev.keyhole.ftp.alg");

  @Test
  void theAlgKnowsNoServerClientOrApplication() {
    assertThat(ALG.contain(FtpAlg.class)).as("the classes were imported").isTrue();
    noClasses().that().resideInAPackage("dev.keyhole.ftp.alg..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.keyhole.ftp.server..", "dev.keyhole.ftp.client..",
            "dev.keyhole.ftp.cli..", "picocli..", "ch.qos.logback..", "com.fasterxml.jackson..")
        .check(ALG);
  }

  @Test
  void everyExportedTypeMethodAndConstructorHasJavadoc() throws Exception {
    assertThat(ApiDocs.undocumented(Path.of("src/main/java"), List.of("dev.keyhole.ftp.alg", "dev.keyhole.ftp.alg.metrics")))
        .isEmpty();
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.keyhole.ftp.alg.(**)").should().beFreeOfCycles().check(ALG);
  }
}
