package dev.keyhole.ftp.cli;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Serves Prometheus text at {@code /metrics} and a liveness answer at {@code /health}. */
public final class MetricsEndpoint {

  private MetricsEndpoint() {}

  /**
   * A Prometheus registry with the JVM's and the process's meters (memory, garbage collection,
   * threads, classes, CPU, uptime, open files) beside what the server or the ALG records.
   */
  public static PrometheusMeterRegistry registry() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  /**
   * Serves Prometheus text at {@code /metrics} and {@code {"status":"UP","sessions":N}} at
   * {@code /health}, the server's or the ALG's open sessions; while {@code draining}, {@code 503}
   * with {@code {"status":"DRAINING",…}}, so that a balancer's health check takes the node out.
   */
  public static DisposableServer start(String host, int port, PrometheusMeterRegistry registry, IntSupplier sessions,
      BooleanSupplier draining) {
    return HttpServer.create()
        .bindAddress(() -> new InetSocketAddress(host, port))
        .route(routes -> routes
            .get("/metrics", (req, res) -> res
                .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .sendString(Mono.fromSupplier(registry::scrape)))
            .get("/health", (req, res) -> {
              boolean down = draining.getAsBoolean();
              return res
                  .status(down ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK)
                  .header("Content-Type", "application/json")
                  .sendString(Mono.fromSupplier(() -> "{\"status\":\"" + (down ? "DRAINING" : "UP") + "\",\"sessions\":"
                      + sessions.getAsInt() + "}"));
            }))
        .bindNow();
  }
}
