/**
 * The embedding example as a named module: it compiles against what keyhole-server and
 * keyhole-client export and nothing else, and {@link dev.keyhole.example.ModuleCheck} runs with
 * both on the module path ({@code ./keyhole test} runs it).
 */
module dev.keyhole.example {
  requires dev.keyhole.server;
  requires dev.keyhole.client;
}
