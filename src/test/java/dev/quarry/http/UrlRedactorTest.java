package dev.quarry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** URL passwords are shown as {@code xxxxx}, as Prometheus renders a {@code config.URL}. */
class UrlRedactorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "password | http://user:pass@host/api/v1/write | http://user:xxxxx@host/api/v1/write",
        "port and query | https://u:p@h:9090/x?a=b@c | https://u:xxxxx@h:9090/x?a=b@c",
        "at sign in password | http://u:p@ss@h/ | http://u:xxxxx@h/",
        "no path | socks5://u:secret@proxy:1080 | socks5://u:xxxxx@proxy:1080",
        "user only | http://user@host/ | http://user@host/",
        "no userinfo | http://host:80/p:q@r | http://host:80/p:q@r",
        "no scheme | host:9100 | host:9100",
        "empty password | http://u:@h/ | http://u:xxxxx@h/",
      })
  void redactsThePasswordOnly(String name, String url, String shown) {
    assertEquals(shown, UrlRedactor.redact(url));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "quoted | Post \"http://u:pw@h:1/w\": refused | Post \"http://u:xxxxx@h:1/w\": refused",
        "two urls | a http://a:1@x b https://b:2@y/z | a http://a:xxxxx@x b https://b:xxxxx@y/z",
        "none | connection refused: /127.0.0.1:1 | connection refused: /127.0.0.1:1",
        "mail-like | user@example.com said http://h/ | user@example.com said http://h/",
      })
  void redactsEveryUrlInAText(String name, String text, String shown) {
    assertEquals(shown, UrlRedactor.redactAll(text));
  }
}
