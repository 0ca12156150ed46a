package dev.quarry.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The JVM image and the local run command share one source of JVM options: the image copies {@code
 * bin/quarry} and {@code bin/jvm.options} and runs the launcher, and sets no JVM flag of its own.
 */
class DockerfileTest {
  @Test
  void imageRunsTheLauncherWithTheSharedOptions() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile.jvm"));
    assertTrue(
        dockerfile.contains("COPY --chown=185 bin/quarry bin/jvm.options /deployments/bin/"),
        "Dockerfile.jvm copies the launcher and its options");
    assertTrue(
        dockerfile.contains("ENTRYPOINT [ \"/deployments/bin/quarry\" ]"),
        "Dockerfile.jvm runs the launcher");
    assertFalse(dockerfile.contains("-XX:"), "JVM flags belong in bin/jvm.options");
    assertTrue(Files.isExecutable(Path.of("bin/quarry")), "bin/quarry is executable");
  }
}
