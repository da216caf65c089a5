package dev.keyhole.ftp.server;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Runs the JDK's javadoc over a module's exported packages with doclint's {@code missing} check
 * and gives back every public or protected type, method and constructor without a doc comment:
 * what a library module's documentation test asserts is empty. The options' constants are exempt:
 * each carries its documentation in its declaration ({@code ConfigOption}'s description), which
 * the help text and docs/configuration.md show.
 */
public final class ApiDocs {

  private ApiDocs() {}

  /**
   * The undocumented API elements of {@code packages} under {@code sourceRoot}, as
   * {@code File.java:line: what}, compiled against the test class path.
   */
  public static List<String> undocumented(Path sourceRoot, List<String> packages) throws IOException {
    var tool = ToolProvider.getSystemDocumentationTool();
    var diagnostics = new DiagnosticCollector<JavaFileObject>();
    var output = Files.createTempDirectory("keyhole-javadoc");
    var files = new ArrayList<Path>();
    for (String pkg : packages) {
      try (Stream<Path> list = Files.list(sourceRoot.resolve(pkg.replace('.', '/')))) {
        list.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
      }
    }
    try (var fileManager = tool.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      var units = fileManager.getJavaFileObjectsFromPaths(files);
      var options = List.of("-Xdoclint:missing", "-Xmaxwarns", "100000", "-quiet", "-d", output.toString(),
          "-classpath", System.getProperty("java.class.path"));
      var task = tool.getTask(new StringWriter(), fileManager, diagnostics, null, options, units);
      task.call();
    }
    var missing = new ArrayList<String>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      String message = d.getMessage(Locale.ROOT);
      if (d.getSource() == null || !(message.contains("no comment") || message.contains("default constructor"))) {
        continue;
      }
      Path file = Path.of(d.getSource().toUri());
      String line = Files.readAllLines(file).get((int) d.getLineNumber() - 1);
      if (line.contains("ConfigOption<")) {
        continue;
      }
      missing.add(file.getFileName() + ":" + d.getLineNumber() + ": " + line.strip());
    }
    return missing;
  }
}
