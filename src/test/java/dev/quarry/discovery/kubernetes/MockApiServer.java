package dev.quarry.discovery.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * fabric8's Kubernetes API server stand-in in CRUD mode on 127.0.0.1 (plain HTTP, a free port):
 * objects created through {@link #client()} are listed and watched (over WebSocket) like a real API
 * server would serve them.
 */
final class MockApiServer implements AutoCloseable {
  final KubernetesMockServer server;
  private final KubernetesClient client;

  MockApiServer() throws Exception {
    var responses =
        new HashMap<
            io.fabric8.mockwebserver.ServerRequest,
            java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    // client-go (Prometheus) picks the v1 ingress and endpointslice APIs from this version
    server.setVersionInfo(
        new io.fabric8.kubernetes.client.VersionInfo.Builder()
            .withMajor("1")
            .withMinor("26")
            .withGitVersion("v1.26.1")
            .build());
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
  }

  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
