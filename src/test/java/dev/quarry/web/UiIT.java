package dev.quarry.web;

import static dev.quarry.testing.PromQueries.await;
import static dev.quarry.testing.PromQueries.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.testing.PrometheusServer;
import dev.quarry.testing.QuarryProcess;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in headless chromium (Debian's {@code chromium} and {@code chromium-driver}) against
 * the packaged agent scraping real targets: states, the unhealthy filter, a label value with markup
 * shown as text without running, the configuration page, and the series chart.
 */
class UiIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String EVIL =
      "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

  private static ChromeOptions chromeOptions() throws java.io.IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("quarry-chromium"));
    return options;
  }

  private static ChromeDriverService driverService() {
    return new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
  }

  /**
   * An OpenMetrics page that breaks rules Prometheus does not enforce shows its warnings on the
   * targets page (the target up), and the Service discovery tab shows the relabel steps of a
   * dropped target, ending at the rule that dropped it.
   */
  @Test
  void targetsPageShowsWarningsAndServiceDiscoveryShowsRelabelSteps() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromium-driver are not installed");
    Path dir = Files.createTempDirectory("quarry-ui-warn");
    byte[] page =
        "# TYPE jobs counter\njobs_total -3\n# TYPE queue gauge\nqueue 2\nqueue 3\n# EOF\n"
            .getBytes(StandardCharsets.UTF_8);
    HttpServer targets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    targets.createContext(
        "/metrics",
        ex -> {
          ex.getResponseHeaders()
              .set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
          ex.sendResponseHeaders(200, page.length);
          ex.getResponseBody().write(page);
          ex.close();
        });
    targets.start();
    String om = "127.0.0.1:" + targets.getAddress().getPort();
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(
        cfg,
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n"
            + "scrape_configs:\n"
            + "  - job_name: om\n    static_configs: [{targets: ['"
            + om
            + "']}]\n"
            + "  - job_name: filtered\n"
            + "    static_configs:\n"
            + "      - {targets: ['127.0.0.1:1'], labels: {env: dev}}\n"
            + "      - {targets: ['127.0.0.1:2'], labels: {env: prod}}\n"
            + "    relabel_configs:\n"
            + "      - {source_labels: [env], target_label: stage}\n"
            + "      - {source_labels: [env], regex: dev, action: drop}\n");
    ChromeOptions options = chromeOptions();
    ChromeDriverService service = driverService();
    try (QuarryProcess quarry =
        QuarryProcess.start(
            cfg,
            dir.resolve("data"),
            PrometheusServer.freePort(),
            Map.of("QUARRY_STORAGE_MODE", "server"),
            dir.resolve("quarry.log"))) {
      await("the targets scraped", Duration.ofSeconds(30), () -> count(quarry::getJson, "up") == 2);
      WebDriver driver = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(quarry.baseUrl() + "/targets");
        wait.until(
            d -> !d.findElements(By.cssSelector("section[data-pool='om'] .warnings")).isEmpty());
        WebElement row = driver.findElement(By.cssSelector("section[data-pool='om'] tr.target"));
        assertEquals("UP", row.findElement(By.cssSelector(".state")).getText());
        WebElement warnings = row.findElement(By.cssSelector(".warnings"));
        assertEquals("2 warnings", warnings.findElement(By.tagName("summary")).getText());
        warnings.findElement(By.tagName("summary")).click();
        List<String> items =
            warnings.findElements(By.cssSelector("li.warning")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals(
            List.of(
                "line 2 (byte 20): \"jobs_total\" must not be negative or NaN",
                "line 5 (byte 61): series \"queue\" repeated without a later timestamp"),
            items);

        driver.findElement(By.id("tab-sd")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#sd tr.dropped-target")).isEmpty());
        WebElement dropped = driver.findElement(By.cssSelector("#sd tr.dropped-target"));
        assertTrue(dropped.getText().contains("env=\"dev\""), dropped.getText());
        dropped.findElement(By.cssSelector("button.show-steps")).click();
        wait.until(d -> d.findElements(By.cssSelector("#sd tr.relabel-step")).size() == 2);
        List<WebElement> steps = driver.findElements(By.cssSelector("#sd tr.relabel-step"));
        assertTrue(steps.get(0).getText().contains("stage=\"dev\""), steps.get(0).getText());
        assertEquals("relabel-step", steps.get(0).getAttribute("class"));
        assertEquals("relabel-step dropped", steps.get(1).getAttribute("class"));
        assertTrue(steps.get(1).getText().contains("drop"), steps.get(1).getText());
        assertTrue(steps.get(1).getText().contains("Dropped"), steps.get(1).getText());
        Path shot =
            Path.of(System.getProperty("quarry.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath()
                .getParent()
                .getParent()
                .resolve("ui-relabel-steps.png");
        Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      } finally {
        driver.quit();
      }
    } finally {
      targets.stop(0);
    }
  }

  @Test
  void pagesShowTargetsSafelyAndChartTheSeries() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromium-driver are not installed");
    Path dir = Files.createTempDirectory("quarry-ui-it");
    byte[] page =
        ("# TYPE temperature gauge\ntemperature{room=\"a\"} 21.5\n"
                + "temperature{room=\""
                + EVIL.replace("\"", "\\\"")
                + "\"} 19\n")
            .getBytes(StandardCharsets.UTF_8);
    HttpServer targets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    targets.createContext(
        "/metrics",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, page.length);
          ex.getResponseBody().write(page);
          ex.close();
        });
    targets.start();
    String up = "127.0.0.1:" + targets.getAddress().getPort();
    String down = "127.0.0.1:" + PrometheusServer.freePort(); // nothing listens there
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(
        cfg,
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n"
            + "scrape_configs:\n"
            + "  - job_name: rooms\n    static_configs: [{targets: ['"
            + up
            + "'],"
            + " labels: {note: '"
            + EVIL.replace("'", "''")
            + "'}}]\n"
            + "  - job_name: broken\n    static_configs: [{targets: ['"
            + down
            + "']}]\n"
            + "    basic_auth: {username: u, password: hunter2}\n");
    ChromeOptions options = chromeOptions();
    ChromeDriverService service = driverService();
    try (QuarryProcess quarry =
        QuarryProcess.start(
            cfg,
            dir.resolve("data"),
            PrometheusServer.freePort(),
            Map.of("QUARRY_STORAGE_MODE", "server"),
            dir.resolve("quarry.log"))) {
      await(
          "both targets scraped", Duration.ofSeconds(30), () -> count(quarry::getJson, "up") == 2);
      Thread.sleep(12_000); // a few points for the chart (one per 5 s step)
      WebDriver driver = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(quarry.baseUrl() + "/targets");
        wait.until(d -> d.findElements(By.cssSelector("tr.target")).size() == 2);
        WebElement upRow =
            driver.findElement(By.cssSelector("section[data-pool='rooms'] tr.target"));
        WebElement downRow =
            driver.findElement(By.cssSelector("section[data-pool='broken'] tr.target"));
        assertEquals("UP", upRow.findElement(By.cssSelector(".state")).getText());
        assertEquals("DOWN", downRow.findElement(By.cssSelector(".state")).getText());
        assertTrue(
            downRow.getText().contains("connection refused")
                || downRow.getText().contains("Connection refused"),
            downRow.getText());
        // The label value with markup is shown as text, and nothing in it ran.
        assertTrue(upRow.getText().contains(EVIL), upRow.getText());
        assertEquals(0, driver.findElements(By.cssSelector("#targets img")).size());
        assertNull(((JavascriptExecutor) driver).executeScript("return window.pwned"));

        driver.findElement(By.id("unhealthy")).click();
        wait.until(d -> d.findElements(By.cssSelector("tr.target")).size() == 1);
        assertEquals(
            "down", driver.findElement(By.cssSelector("tr.target")).getAttribute("data-health"));
        driver.findElement(By.id("unhealthy")).click();
        driver.findElement(By.id("search")).sendKeys("job=rooms");
        wait.until(d -> d.findElements(By.cssSelector("tr.target")).size() == 1);
        assertEquals(
            "up", driver.findElement(By.cssSelector("tr.target")).getAttribute("data-health"));
        driver.findElement(By.id("tab-sd")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#sd tr.active-target")).isEmpty());

        driver.get(quarry.baseUrl() + "/config");
        wait.until(d -> d.findElement(By.id("config")).getText().contains("job_name: rooms"));
        String shown = driver.findElement(By.id("config")).getText();
        assertTrue(shown.contains("<secret>") && !shown.contains("hunter2"), shown);
        assertTrue(driver.findElement(By.id("reload")).getText().contains("successful"));

        driver.get(quarry.baseUrl() + "/graph.html");
        wait.until(
            d -> !d.findElements(By.cssSelector("#metric option[value='temperature']")).isEmpty());
        new Select(driver.findElement(By.id("metric"))).selectByValue("temperature");
        driver.findElement(By.id("matchers")).sendKeys("job=\"rooms\"");
        driver.findElement(By.cssSelector("#query button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector("#table tbody tr")).size() == 2);
        wait.until(d -> !d.findElements(By.cssSelector("#chart canvas")).isEmpty());
        // Pixels in the first series' colour (#1f77b4): its line, not just the axes, was drawn.
        Long drawn =
            (Long)
                ((JavascriptExecutor) driver)
                    .executeScript(
                        "const c = document.querySelector('#chart canvas');"
                            + "const px = c.getContext('2d').getImageData(0, 0, c.width, "
                            + "c.height).data;"
                            + "let n = 0; for (let i = 0; i < px.length; i += 4)"
                            + " if (Math.abs(px[i] - 31) < 30 && Math.abs(px[i + 1] - 119) < 30"
                            + " && Math.abs(px[i + 2] - 180) < 30 && px[i + 3] > 200) n++;"
                            + "return n;");
        assertTrue(drawn > 100, "pixels of the first series drawn: " + drawn);
        assertTrue(driver.findElement(By.id("table")).getText().contains(EVIL));
        assertNull(((JavascriptExecutor) driver).executeScript("return window.pwned"));
        List<String> legend =
            driver.findElements(By.cssSelector(".u-legend .u-label")).stream()
                .map(WebElement::getText)
                .toList();
        assertTrue(legend.stream().anyMatch(l -> l.contains("room=a")), legend.toString());

        // A PromQL expression instead of a metric: its range result is charted, its instant
        // result tabled, a scalar in one row, a bad expression named in the status.
        driver.findElement(By.id("expr")).sendKeys("sum by (job) (up)");
        driver.findElement(By.cssSelector("#query button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("table")).getText().contains("job=\"broken\""));
        assertEquals(2, driver.findElements(By.cssSelector("#table tbody tr")).size());
        assertEquals("2 series", driver.findElement(By.id("status")).getText());
        wait.until(
            d ->
                d.findElements(By.cssSelector(".u-legend .u-label")).stream()
                    .anyMatch(l -> l.getText().contains("job=rooms")));
        driver.findElement(By.id("expr")).clear();
        driver.findElement(By.id("expr")).sendKeys("1 + 1");
        driver.findElement(By.cssSelector("#query button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("table")).getText().contains("scalar 2"));
        driver.findElement(By.id("expr")).clear();
        driver.findElement(By.id("expr")).sendKeys("sum(");
        driver.findElement(By.cssSelector("#query button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("status")).getText().contains("parse error"));
        driver.findElement(By.id("expr")).clear();

        Path shot =
            Path.of(System.getProperty("quarry.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath()
                .getParent()
                .getParent()
                .resolve("ui-series.png");
        Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        driver.get(quarry.baseUrl() + "/");
        wait.until(d -> d.findElements(By.cssSelector("tr.target")).size() == 2);
        Files.write(
            shot.resolveSibling("ui-targets.png"),
            ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      } finally {
        driver.quit();
      }
    } finally {
      targets.stop(0);
    }
  }
}
