package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code protobuf_message} and {@code send_native_histograms} of a {@code remote_write} entry. */
class RemoteWriteMessageConfigTest {
  @TempDir Path dir;

  private RemoteWriteConfig load(String entry) throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "remote_write:\n  - url: http://r.invalid/w\n" + entry);
    return ConfigLoader.load(f).remoteWriteConfigs().get(0);
  }

  @Test
  void defaultsAreRemoteWrite1WithoutNativeHistograms() throws Exception {
    RemoteWriteConfig c = load("");
    assertEquals("prometheus.WriteRequest", c.protobufMessage());
    assertFalse(c.writeV2());
    assertFalse(c.sendNativeHistograms());
  }

  @Test
  void remoteWrite2AndNativeHistogramsAreTakenAsConfigured() throws Exception {
    RemoteWriteConfig c =
        load(
            "    protobuf_message: io.prometheus.write.v2.Request\n"
                + "    send_native_histograms: true\n");
    assertTrue(c.writeV2());
    assertEquals("io.prometheus.write.v2.Request", c.protobufMessage());
    assertTrue(c.sendNativeHistograms());
  }

  @Test
  void theExplicit1_0MessageIsRemoteWrite1() throws Exception {
    assertFalse(load("    protobuf_message: prometheus.WriteRequest\n").writeV2());
  }
}
