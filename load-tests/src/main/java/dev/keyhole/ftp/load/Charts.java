package dev.keyhole.ftp.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * PNG charts of a report: the latency distribution of each target (latency against percentile,
 * the tail spread out), throughput per second, and the targets side by side.
 */
final class Charts {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  private Charts() {}

  /** Writes the three charts next to {@code base} ({@code base-latency.png} and so on); returns them. */
  static List<Path> write(LoadRun.Report report, Path base) throws IOException {
    System.setProperty("java.awt.headless", "true");
    var files = new ArrayList<Path>();
    files.add(save(latency(report), base, "latency"));
    files.add(save(throughput(report), base, "throughput"));
    files.add(save(peers(report), base, "peers"));
    return files;
  }

  private static String name(PeerResult r, LoadRun.Report report) {
    return report.results().stream().anyMatch(o -> o != r && o.peer().equals(r.peer())) ? r.peer() + " #" + r.round() : r.peer();
  }

  /** Latency at each percentile, the percentiles evenly spaced so that the tail gets room. */
  static CategoryChart latency(LoadRun.Report report) {
    var chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(report.scenario() + ": latency by percentile").xAxisTitle("percentile").yAxisTitle("ms").build();
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setDecimalPattern("#,##0.#");
    var labels = Arrays.stream(PeerResult.CHART_PERCENTILES).mapToObj(Charts::percentileLabel).toList();
    for (var r : report.results()) {
      if (r.percentiles().size() == labels.size()) {
        chart.addSeries(name(r, report), labels, List.copyOf(r.percentiles().values()));
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("no operations", labels, labels.stream().map(l -> 0.0).toList());
    }
    return chart;
  }

  private static String percentileLabel(double p) {
    return (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)) + "%";
  }

  static XYChart throughput(LoadRun.Report report) {
    var chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(report.scenario() + ": operations per second").xAxisTitle("second").yAxisTitle("operations/s").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    for (var r : report.results()) {
      var series = r.operationsPerSecondSeries();
      if (series.isEmpty()) {
        continue;
      }
      var xs = IntStream.rangeClosed(1, series.size()).mapToObj(i -> (double) i).toList();
      var ys = series.stream().map(Long::doubleValue).toList();
      chart.addSeries(name(r, report), xs, ys);
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("shorter than a second", List.of(0.0), List.of(0.0));
    }
    return chart;
  }

  static CategoryChart peers(LoadRun.Report report) {
    var chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(report.scenario() + ": throughput, ratio to the best").xAxisTitle("target").yAxisTitle("operations/s").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("#,##0.#");
    double best = report.best();
    var names = report.results().stream().map(r -> name(r, report) + String.format(Locale.ROOT, " (%.2fx)",
        best == 0 ? 0 : r.operationsPerSecond() / best)).toList();
    var values = report.results().stream().map(PeerResult::operationsPerSecond).toList();
    chart.addSeries("operations/s", names, values);
    return chart;
  }

  private static Path save(Chart<?, ?> chart, Path base, String kind) throws IOException {
    Path file = base.resolveSibling(base.getFileName() + "-" + kind + ".png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
