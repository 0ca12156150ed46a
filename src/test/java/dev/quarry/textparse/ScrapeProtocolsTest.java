package dev.quarry.textparse;

import static dev.quarry.textparse.ScrapeProtocol.OPENMETRICS_TEXT_0_0_1;
import static dev.quarry.textparse.ScrapeProtocol.OPENMETRICS_TEXT_1_0_0;
import static dev.quarry.textparse.ScrapeProtocol.PROMETHEUS_PROTO;
import static dev.quarry.textparse.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Named.named;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScrapeProtocolsTest {

  static Stream<Arguments> acceptHeaders() {
    return Stream.of(
        Arguments.of(
            named("Prometheus defaults", ScrapeProtocol.DEFAULTS),
            "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,"
                + "text/plain;version=1.0.0;escaping=underscores;q=0.4,"
                + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"),
        Arguments.of(
            named(
                "Prometheus 3's protobuf-first defaults (native histograms)",
                dev.quarry.config.GlobalConfig.PROTO_FIRST_SCRAPE_PROTOCOLS.stream()
                    .map(ScrapeProtocol::fromConfigName)
                    .toList()),
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.6,"
                + "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,"
                + "application/openmetrics-text;version=0.0.1;q=0.4,"
                + "text/plain;version=1.0.0;escaping=underscores;q=0.3,"
                + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1"),
        Arguments.of(
            named("text only", List.of(PROMETHEUS_TEXT_0_0_4)),
            "text/plain;version=0.0.4;q=0.6,*/*;q=0.5"),
        Arguments.of(
            named("order is preference", List.of(PROMETHEUS_TEXT_0_0_4, OPENMETRICS_TEXT_0_0_1)),
            "text/plain;version=0.0.4;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,*/*;q=0.4"),
        Arguments.of(
            named("protobuf only", List.of(PROMETHEUS_PROTO)),
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.6,*/*;q=0.5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptHeaders")
  void buildsAcceptHeaderLikePrometheus(List<ScrapeProtocol> protocols, String expected) {
    assertEquals(expected, ScrapeProtocols.acceptHeader(protocols));
  }

  static Stream<Arguments> contentTypes() {
    ExpositionFormat text = ExpositionFormat.PROMETHEUS_TEXT;
    ExpositionFormat om = ExpositionFormat.OPENMETRICS;
    return Stream.of(
        Arguments.of(
            named("text 0.0.4", "text/plain; version=0.0.4; charset=utf-8"), null, text, null),
        Arguments.of(named("text without version", "text/plain"), null, text, null),
        Arguments.of(named("upper-case media type", "Text/Plain;Version=0.0.4"), null, text, null),
        Arguments.of(
            named(
                "OpenMetrics 1.0.0", "application/openmetrics-text; version=1.0.0; charset=utf-8"),
            null,
            om,
            null),
        Arguments.of(
            named("OpenMetrics 0.0.1", "application/openmetrics-text;version=0.0.1"),
            null,
            om,
            null),
        Arguments.of(
            named("blank without fallback is text", ""),
            null,
            text,
            "non-compliant scrape target sending blank Content-Type, parsing it as the Prometheus"
                + " text format"),
        Arguments.of(
            named("missing with fallback", null),
            PROMETHEUS_TEXT_0_0_4,
            text,
            "non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol"
                + " \"text/plain\""),
        Arguments.of(
            named("unsupported without fallback is text", "application/octet-stream"),
            null,
            text,
            "received unsupported Content-Type \"application/octet-stream\", parsing it as the"
                + " Prometheus text format"),
        Arguments.of(
            named("unsupported with fallback", "text/html"),
            OPENMETRICS_TEXT_1_0_0,
            om,
            "received unsupported Content-Type \"text/html\", using fallback_scrape_protocol"
                + " \"application/openmetrics-text\""),
        Arguments.of(
            named(
                "protobuf",
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
                    + " encoding=delimited"),
            OPENMETRICS_TEXT_1_0_0,
            ExpositionFormat.PROTOBUF,
            null),
        Arguments.of(
            named("any OpenMetrics version", "application/openmetrics-text; version=2.0.0"),
            null,
            om,
            null),
        Arguments.of(
            named("unparseable without fallback is text", "text/plain; version"),
            null,
            text,
            "could not parse received Content-Type \"text/plain; version\", parsing it as the"
                + " Prometheus text format"),
        Arguments.of(
            named("unparseable with fallback", "garbage"),
            OPENMETRICS_TEXT_1_0_0,
            om,
            "could not parse received Content-Type \"garbage\", using fallback_scrape_protocol"
                + " \"application/openmetrics-text\""),
        Arguments.of(
            named("protobuf fallback", ""),
            PROMETHEUS_PROTO,
            ExpositionFormat.PROTOBUF,
            "non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol"
                + " \"application/vnd.google.protobuf\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contentTypes")
  void choosesParserFromContentType(
      String contentType, ScrapeProtocol fallback, ExpositionFormat format, String message) {
    ScrapeProtocols.Choice c = ScrapeProtocols.choose(contentType, fallback);
    assertEquals(format, c.format());
    if (message == null) {
      assertEquals(null, c.message());
    } else {
      assertEquals(true, c.message().startsWith(message), c.message());
    }
  }

  @Test
  void unknownProtocolNameListsTheSupportedOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScrapeProtocol.fromConfigName("Text"));
    assertEquals(
        "unknown scrape protocol Text, supported: [OpenMetricsText0.0.1 "
            + "OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]",
        e.getMessage());
    assertEquals(OPENMETRICS_TEXT_1_0_0, ScrapeProtocol.fromConfigName("OpenMetricsText1.0.0"));
  }
}
