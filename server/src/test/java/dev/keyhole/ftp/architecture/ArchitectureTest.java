package dev.keyhole.ftp.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.keyhole.ftp.server.ApiDocs;
import io.netty.channel.ChannelOutboundInvoker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyOutbound;

/**
 * The libraries' shape, checked on the compiled classes of keyhole-transport, keyhole-client and
 * keyhole-server (docs/architecture.md): no package depends on itself through others, the
 * transport knows neither server nor client, the client knows no server internals, command
 * handlers return replies and never write to a connection, and no library depends on the
 * application. The ALG's own test checks that it knows no server or client.
 */
class ArchitectureTest {

  private static final JavaClasses LIBRARY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.keyhole.ftp");

  @Test
  void noPackageCycles() {
    assertThat(LIBRARY.contain(dev.keyhole.ftp.server.FtpServer.class)).as("the classes were imported").isTrue();
    assertThat(LIBRARY.size()).isGreaterThan(150);
    slices().matching("dev.keyhole.ftp.(**)").should().beFreeOfCycles().check(LIBRARY);
  }

  @Test
  void theTransportServesServerClientAndAlgAndKnowsNoneOfThem() {
    noClasses().that().resideInAnyPackage("dev.keyhole.ftp.protocol..", "dev.keyhole.ftp.transport..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.keyhole.ftp.server..", "dev.keyhole.ftp.client..",
            "dev.keyhole.ftp.alg..")
        .check(LIBRARY);
  }

  @Test
  void theClientKnowsNothingOfTheServer() {
    noClasses().that().resideInAPackage("dev.keyhole.ftp.client..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.keyhole.ftp.server..", "dev.keyhole.ftp.alg..")
        .check(LIBRARY);
  }

  @Test
  void handlersNeverWriteToAConnection() {
    DescribedPredicate<JavaClass> writers = DescribedPredicate.describe("a channel or an outbound",
        c -> c.isAssignableTo(ChannelOutboundInvoker.class) || c.isAssignableTo(NettyOutbound.class));
    noClasses().that().resideInAPackage("dev.keyhole.ftp.server.command..")
        .should().callMethodWhere(target(owner(writers)).and(target(nameMatching("write.*|send.*"))))
        .because("handlers return replies; the control loop writes them and the transfer frame moves the bytes")
        .check(LIBRARY);
  }

  @Test
  void theJavadocCheckFindsAnUndocumentedMethod() throws Exception {
    assertThat(ApiDocs.undocumented(Path.of("src/test/resources/apidocs"), List.of("fixture")))
        .containsExactly("Sample.java:11: public void undocumented() {}");
  }

  @Test
  void everyExportedTypeMethodAndConstructorHasJavadoc() throws Exception {
    // the exported packages of dev.keyhole.transport, dev.keyhole.client and dev.keyhole.server (module-info.java)
    assertThat(ApiDocs.undocumented(Path.of("transport/src/main/java"),
        List.of("dev.keyhole.ftp.protocol", "dev.keyhole.ftp.transport", "dev.keyhole.ftp.config"))).isEmpty();
    assertThat(ApiDocs.undocumented(Path.of("client/src/main/java"), List.of("dev.keyhole.ftp.client"))).isEmpty();
    assertThat(ApiDocs.undocumented(Path.of("src/main/java"), List.of("dev.keyhole.ftp.server",
        "dev.keyhole.ftp.server.api", "dev.keyhole.ftp.server.auth", "dev.keyhole.ftp.server.fs",
        "dev.keyhole.ftp.server.metrics", "dev.keyhole.ftp.server.tls"))).isEmpty();
  }

  @Test
  void theLibraryKnowsNothingOfTheApplication() {
    noClasses().that().resideInAnyPackage("dev.keyhole.ftp.server..", "dev.keyhole.ftp.client..",
            "dev.keyhole.ftp.protocol..", "dev.keyhole.ftp.transport..")
        .should().dependOnClassesThat().resideInAnyPackage("picocli..", "ch.qos.logback..", "com.fasterxml.jackson..",
            "io.prometheus..", "reactor.netty.http..")
        .check(LIBRARY);
  }
}
