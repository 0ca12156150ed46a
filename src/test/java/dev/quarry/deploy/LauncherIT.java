package dev.quarry.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.QuarryProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/quarry}, the README's run command and the container's entry point, starts the packaged
 * agent with every option of {@code bin/jvm.options} and sizes the heap from {@code
 * QUARRY_MAX_RAM}.
 */
class LauncherIT {
  @TempDir Path dir;

  @Test
  void launcherAppliesTheJvmOptionsAndTheMemorySize() throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "scrape_configs: []\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            "QUARRY_JAR", QuarryProcess.jar().toAbsolutePath().toString(),
            "QUARRY_MAX_RAM", "320m",
            "JAVA_HOME", System.getProperty("java.home"));
    List<String> options = jvmOptions();
    try (QuarryProcess q =
        QuarryProcess.start(
            List.of(Path.of("bin/quarry").toAbsolutePath().toString()),
            config,
            dir.resolve("data"),
            port,
            env,
            dir.resolve("quarry.log"))) {
      List<String> args = Arrays.asList(q.handle().info().arguments().orElseThrow());
      for (String option : options) {
        assertTrue(args.contains(option), option + " missing from " + args);
      }
      assertTrue(args.contains("-XX:MaxRAM=320m"), args.toString());
      // 60 % of 320 MiB, as the JVM reports the heap's pools together.
      double heapMax = 0;
      for (String line : q.get("/metrics").body().split("\n")) {
        if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
          heapMax += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      double expected = 0.6 * 320 * 1024 * 1024;
      assertTrue(
          Math.abs(heapMax - expected) < 0.1 * expected,
          "heap max " + heapMax + " bytes, expected about " + expected);
    }
  }

  /** The options of bin/jvm.options, as the launcher reads them (comments and blanks dropped). */
  static List<String> jvmOptions() throws Exception {
    return Files.readAllLines(Path.of("bin/jvm.options")).stream()
        .map(l -> l.replaceFirst("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .toList();
  }
}
