package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which lifecycle requests count as sent by another site. */
class SameOriginTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "a tool sends no browser headers | - | - | quarry:9464 | false | true",
        "same origin | http://quarry:9464 | same-origin | quarry:9464 | false | true",
        "same origin, case and slash | HTTP://Quarry:9464/ | - | quarry:9464 | false | true",
        "default port omitted by origin | https://quarry | - | quarry:443 | true | true",
        "typed in the address bar | - | none | quarry:9464 | false | true",
        "another site's form | http://evil.example | cross-site | quarry:9464 | false | false",
        "another origin, no fetch metadata | http://evil.example | - | quarry:9464 | false | false",
        "same host, other port | http://quarry:3000 | - | quarry:9464 | false | false",
        "sandboxed page | null | - | quarry:9464 | false | false",
        "a sibling subdomain | - | same-site | quarry:9464 | false | false",
        "scheme not compared: TLS may end at a proxy | https://quarry | - | quarry:80 | false | "
            + "true",
      })
  void refusesRequestsFromOtherSites(
      String name, String origin, String fetchSite, String host, boolean tls, boolean allowed) {
    String why = SameOrigin.refusal(origin, fetchSite, host, tls);
    assertEquals(allowed, why == null, String.valueOf(why));
  }
}
