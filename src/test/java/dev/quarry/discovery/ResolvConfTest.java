package dev.quarry.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** resolv.conf as Prometheus' resolver reads it, the names tried for a name, server settings. */
class ResolvConfTest {
  private static InetSocketAddress addr(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of(Named.of("defaults", ""), new ResolvConf(List.of(), List.of(), 1)),
        Arguments.of(
            Named.of(
                "servers in order, IPv6 too, host names skipped",
                "# a comment\nnameserver 10.0.0.2\nnameserver  fe80::1%eth0\n"
                    + "nameserver dns.example\nnameserver 10.0.0.3"),
            new ResolvConf(
                List.of(addr("10.0.0.2", 53), addr("fe80::1", 53), addr("10.0.0.3", 53)),
                List.of(),
                1)),
        Arguments.of(
            Named.of(
                "the last search or domain line wins",
                "search a.example b.example\ndomain c.example\nsearch d.example e.example\n"),
            new ResolvConf(List.of(), List.of("d.example", "e.example"), 1)),
        Arguments.of(
            Named.of("domain alone", "domain c.example\n"),
            new ResolvConf(List.of(), List.of("c.example"), 1)),
        Arguments.of(
            Named.of("ndots", "options timeout:1 ndots:5 rotate\n"),
            new ResolvConf(List.of(), List.of(), 5)),
        Arguments.of(
            Named.of("ndots capped at 15", "options ndots:40\n"),
            new ResolvConf(List.of(), List.of(), 15)),
        Arguments.of(
            Named.of("ndots 0 kept", "options ndots:0\n"),
            new ResolvConf(List.of(), List.of(), 0)));
  }

  @ParameterizedTest
  @MethodSource("files")
  void parse(String text, ResolvConf want) {
    assertEquals(want, ResolvConf.parse(text));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "web.example.      | 1 | web.example.",
        "web               | 1 | web.s1.example. web.s2. web.",
        "web.example       | 1 | web.example. web.example.s1.example. web.example.s2.",
        "web.example       | 2 | web.example.s1.example. web.example.s2. web.example.",
        "_m._tcp.a.example | 0 | _m._tcp.a.example. _m._tcp.a.example.s1.example."
            + " _m._tcp.a.example.s2.",
      })
  void nameList(String name, int ndots, String want) {
    ResolvConf c = new ResolvConf(List.of(), List.of("s1.example", "s2."), ndots);
    assertEquals(List.of(want.split(" ")), c.nameList(name));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:5353 | 127.0.0.1 | 5353",
        "10.0.0.2       | 10.0.0.2  | 53",
        "[::1]:5353     | ::1       | 5353",
        "[::1]          | ::1       | 53",
        "::1            | ::1       | 53",
      })
  void serverSetting(String setting, String ip, int port) {
    assertEquals(addr(ip, port), ResolvConf.parseServer(setting));
  }

  @Test
  void serverSettingMustBeAnIpAddress() {
    for (String bad : List.of("dns.example:53", "127.0.0.1:0", "127.0.0.1:x", "[::1", "")) {
      assertThrows(IllegalArgumentException.class, () -> ResolvConf.parseServer(bad), bad);
    }
  }
}
