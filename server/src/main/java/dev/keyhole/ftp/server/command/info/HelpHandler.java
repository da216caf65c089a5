package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.CommandSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** HELP: the verbs the command table knows, or one verb's syntax. */
public final class HelpHandler implements CommandHandler {

  private final Supplier<List<CommandSpec>> specs;
  private final Function<String, Optional<CommandSpec>> find;

  public HelpHandler(Supplier<List<CommandSpec>> specs, Function<String, Optional<CommandSpec>> find) {
    this.specs = specs;
    this.find = find;
  }

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    String topic = ctx.argument().trim().toUpperCase(Locale.ROOT);
    if (!topic.isEmpty()) {
      return find.apply(topic)
          .map(spec -> FtpReply.of(214, "Syntax: " + (spec.verb() + " " + spec.syntax()).trim()))
          .map(Mono::just)
          .orElseGet(() -> CommandContext.reply(502, "Unknown command " + topic + "."));
    }
    var lines = new ArrayList<String>();
    lines.add("The following commands are recognized.");
    var row = new StringBuilder();
    for (CommandSpec spec : specs.get()) {
      row.append(' ').append(String.format(Locale.ROOT, "%-5s", spec.verb()));
      if (row.length() > 60) {
        lines.add(row.toString());
        row.setLength(0);
      }
    }
    if (!row.isEmpty()) {
      lines.add(row.toString());
    }
    lines.add("Help OK.");
    return Mono.just(FtpReply.multi(214, lines));
  }
}
