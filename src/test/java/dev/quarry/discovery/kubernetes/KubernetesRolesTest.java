package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.Expected.group;
import static dev.quarry.discovery.kubernetes.Expected.index;
import static dev.quarry.discovery.kubernetes.Expected.m;
import static dev.quarry.discovery.kubernetes.Expected.plus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.discovery.DiscoveryProvider;
import dev.quarry.discovery.TargetGroup;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role against a real (fabric8 mock, CRUD mode) API server holding {@link Cluster}: the
 * groups, their sources and every {@code __meta_kubernetes_*} label, pinned as tables of what
 * Prometheus 2.42 produces for the same objects.
 */
class KubernetesRolesTest {
  static MockApiServer api;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    api = new MockApiServer();
    Cluster.create(api.client());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    api.close();
  }

  static KubernetesSdConfig config(String role, boolean attachNode, boolean attachNamespace) {
    return new KubernetesSdConfig(
        role,
        api.url(),
        null,
        HttpClientConfig.DEFAULT,
        KubernetesSdConfig.Namespaces.ALL,
        List.of(),
        attachNode,
        attachNamespace);
  }

  /** Starts a provider, returns its first report after the informers synced, stops it. */
  static List<TargetGroup> discover(KubernetesSdConfig c) throws Exception {
    KubernetesDiscovery d =
        new KubernetesDiscovery(
            vertx,
            "test",
            new KubernetesMetrics(null),
            Path.of("/nonexistent"),
            Duration.ofSeconds(30));
    List<List<TargetGroup>> seen = new CopyOnWriteArrayList<>();
    DiscoveryProvider p = d.provider("k", c);
    vertx.runOnContext(v -> p.start(seen::add));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (seen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    p.stop().toCompletionStage().toCompletableFuture().get();
    return seen.get(0);
  }

  // The label sets Prometheus 2.42 gives the pods (pod.go podLabels).
  static Map<String, String> webPod() {
    return m(
        "pod_name",
        "web-1",
        "pod_ip",
        "10.0.0.1",
        "pod_ready",
        "true",
        "pod_phase",
        "Running",
        "pod_node_name",
        "n1",
        "pod_host_ip",
        "10.1.0.1",
        "pod_uid",
        uid("web-1"),
        "pod_controller_kind",
        "ReplicaSet",
        "pod_controller_name",
        "web-rs",
        "pod_label_app",
        "web",
        "pod_labelpresent_app",
        "true",
        "pod_label_app_kubernetes_io_name",
        "web",
        "pod_labelpresent_app_kubernetes_io_name",
        "true",
        "pod_annotation_prometheus_io_scrape",
        "true",
        "pod_annotationpresent_prometheus_io_scrape",
        "true");
  }

  static Map<String, String> dbPod() {
    return m(
        "pod_name",
        "db-1",
        "pod_ip",
        "10.0.0.2",
        "pod_ready",
        "unknown",
        "pod_phase",
        "Running",
        "pod_node_name",
        "n2",
        "pod_uid",
        uid("db-1"));
  }

  /** The API server assigns pod UIDs. */
  static String uid(String pod) {
    return api.client().pods().inNamespace(Cluster.NS).withName(pod).get().getMetadata().getUid();
  }

  static final Map<String, String> WEB_SERVICE =
      m(
          "namespace",
          "ns1",
          "service_name",
          "web",
          "service_label_app",
          "web",
          "service_labelpresent_app",
          "true",
          "service_annotation_prometheus_io_port",
          "9090",
          "service_annotationpresent_prometheus_io_port",
          "true");
  static final Map<String, String> N1 =
      m(
          "node_name",
          "n1",
          "node_label_kubernetes_io_hostname",
          "n1",
          "node_labelpresent_kubernetes_io_hostname",
          "true",
          "node_label_zone",
          "z1",
          "node_labelpresent_zone",
          "true");
  static final Map<String, String> NS1 =
      m(
          "namespace_label_team",
          "a",
          "namespace_labelpresent_team",
          "true",
          "namespace_annotation_owner",
          "x",
          "namespace_annotationpresent_owner",
          "true");
  static final Map<String, String> C1_HTTP =
      m(
          "pod_container_name",
          "c1",
          "pod_container_image",
          "img1",
          "pod_container_port_name",
          "http",
          "pod_container_port_number",
          "8080",
          "pod_container_port_protocol",
          "TCP");
  static final Map<String, String> C1_METRICS =
      m(
          "pod_container_name",
          "c1",
          "pod_container_image",
          "img1",
          "pod_container_port_name",
          "metrics",
          "pod_container_port_number",
          "9090",
          "pod_container_port_protocol",
          "TCP");
  static final Map<String, String> DB_PG =
      m(
          "pod_container_name",
          "db",
          "pod_container_image",
          "pg",
          "pod_container_port_name",
          "pg",
          "pod_container_port_number",
          "5432",
          "pod_container_port_protocol",
          "TCP");

  static Map<String, Expected> pods(boolean attach) {
    Map<String, String> web =
        plus(m("namespace", "ns1"), webPod(), attach ? N1 : Map.of(), attach ? NS1 : Map.of());
    Map<String, String> db =
        plus(
            m("namespace", "ns1"),
            dbPod(),
            attach ? m("node_name", "n2") : Map.of(),
            attach ? NS1 : Map.of());
    return index(
        group(
            "pod/ns1/web-1",
            web,
            plus(
                m(
                    "__address__",
                    "10.0.0.1:8080",
                    "pod_container_id",
                    "containerd://c1",
                    "pod_container_init",
                    "false"),
                C1_HTTP),
            plus(
                m(
                    "__address__",
                    "10.0.0.1:9090",
                    "pod_container_id",
                    "containerd://c1",
                    "pod_container_init",
                    "false"),
                C1_METRICS),
            m(
                "__address__",
                "10.0.0.1",
                "pod_container_name",
                "c2",
                "pod_container_id",
                "containerd://c2",
                "pod_container_image",
                "img2",
                "pod_container_init",
                "false"),
            m(
                "__address__",
                "10.0.0.1",
                "pod_container_name",
                "init",
                "pod_container_id",
                "containerd://i",
                "pod_container_image",
                "initimg",
                "pod_container_init",
                "true")),
        group("pod/ns1/pending", Map.of()),
        group(
            "pod/ns1/db-1",
            db,
            plus(m("__address__", "10.0.0.2:5432", "pod_container_init", "false"), DB_PG)));
  }

  static Map<String, Expected> services() {
    return index(
        group(
            "svc/ns1/web",
            WEB_SERVICE,
            m(
                "__address__",
                "web.ns1.svc:80",
                "service_port_name",
                "http",
                "service_port_number",
                "80",
                "service_port_protocol",
                "TCP",
                "service_type",
                "ClusterIP",
                "service_cluster_ip",
                "10.96.0.10")),
        group(
            "svc/ns1/ext",
            m("namespace", "ns1", "service_name", "ext"),
            m(
                "__address__",
                "ext.ns1.svc:443",
                "service_port_name",
                "https",
                "service_port_number",
                "443",
                "service_port_protocol",
                "TCP",
                "service_type",
                "ExternalName",
                "service_external_name",
                "example.com")),
        group(
            "svc/ns1/lb",
            m("namespace", "ns1", "service_name", "lb"),
            m(
                "__address__",
                "lb.ns1.svc:8443",
                "service_port_name",
                "p",
                "service_port_number",
                "8443",
                "service_port_protocol",
                "TCP",
                "service_type",
                "LoadBalancer",
                "service_cluster_ip",
                "10.96.0.11",
                "service_loadbalancer_ip",
                "5.6.7.8")));
  }

  static Map<String, Expected> nodes() {
    return index(
        group(
            "node/n1",
            plus(
                N1,
                m(
                    "node_provider_id",
                    "aws://1",
                    "node_annotation_node_alpha_ann",
                    "v",
                    "node_annotationpresent_node_alpha_ann",
                    "true")),
            m(
                "__address__",
                "10.1.0.1:10250",
                "instance",
                "n1",
                "node_address_Hostname",
                "n1",
                "node_address_InternalIP",
                "10.1.0.1",
                "node_address_ExternalIP",
                "1.2.3.4")),
        group(
            "node/n2",
            m("node_name", "n2"),
            m(
                "__address__",
                "n2.example:10255",
                "instance",
                "n2",
                "node_address_Hostname",
                "n2-host",
                "node_address_ExternalDNS",
                "n2.example")));
  }

  static Map<String, Expected> ingresses() {
    Map<String, String> g =
        m(
            "namespace",
            "ns1",
            "ingress_name",
            "ing",
            "ingress_class_name",
            "nginx",
            "ingress_label_a",
            "b",
            "ingress_labelpresent_a",
            "true",
            "ingress_annotation_kubernetes_io_ingress_class",
            "nginx",
            "ingress_annotationpresent_kubernetes_io_ingress_class",
            "true");
    return index(
        group(
            "ingress/ns1/ing",
            g,
            m(
                "__address__",
                "secure.example",
                "ingress_scheme",
                "https",
                "ingress_host",
                "secure.example",
                "ingress_path",
                "/a"),
            m(
                "__address__",
                "secure.example",
                "ingress_scheme",
                "https",
                "ingress_host",
                "secure.example",
                "ingress_path",
                "/"),
            m(
                "__address__",
                "foo.wild.example",
                "ingress_scheme",
                "https",
                "ingress_host",
                "foo.wild.example",
                "ingress_path",
                "/"),
            m(
                "__address__",
                "a.b.wild.example",
                "ingress_scheme",
                "http",
                "ingress_host",
                "a.b.wild.example",
                "ingress_path",
                "/"),
            // a rule without host: empty address and host, as in Prometheus
            m("ingress_scheme", "http", "ingress_path", "/x")));
  }

  static Map<String, Expected> endpoints(boolean attach) {
    Map<String, String> g =
        plus(
            m("namespace", "ns1", "endpoints_name", "web"),
            WEB_SERVICE,
            m(
                "endpoints_label_endpoints_label",
                "x",
                "endpoints_labelpresent_endpoints_label",
                "true"),
            attach ? NS1 : Map.of());
    return index(
        group(
            "endpoints/ns1/web",
            g,
            plus(
                m(
                    "__address__",
                    "10.0.0.1:8080",
                    "endpoint_port_name",
                    "http",
                    "endpoint_port_protocol",
                    "TCP",
                    "endpoint_ready",
                    "true",
                    "endpoint_address_target_kind",
                    "Pod",
                    "endpoint_address_target_name",
                    "web-1",
                    "endpoint_node_name",
                    "n1",
                    "endpoint_hostname",
                    "web-1"),
                webPod(),
                C1_HTTP,
                attach ? N1 : Map.of()),
            plus(
                m(
                    "__address__",
                    "10.0.0.2:8080",
                    "endpoint_port_name",
                    "http",
                    "endpoint_port_protocol",
                    "TCP",
                    "endpoint_ready",
                    "false",
                    "endpoint_address_target_kind",
                    "Pod",
                    "endpoint_address_target_name",
                    "db-1",
                    "endpoint_node_name",
                    "n2"),
                dbPod(),
                attach ? m("node_name", "n2") : Map.of()),
            plus(m("__address__", "10.0.0.1:9090"), webPod(), C1_METRICS),
            plus(m("__address__", "10.0.0.2:5432"), dbPod(), DB_PG)));
  }

  static Map<String, Expected> endpointSlices() {
    Map<String, String> g =
        plus(
            m(
                "namespace",
                "ns1",
                "endpointslice_name",
                "web-abc",
                "endpointslice_address_type",
                "IPv4"),
            WEB_SERVICE);
    Map<String, String> port =
        m(
            "endpointslice_port_name",
            "http",
            "endpointslice_port_protocol",
            "TCP",
            "endpointslice_port",
            "8080",
            "endpointslice_port_app_protocol",
            "http");
    return index(
        group(
            "endpointslice/ns1/web-abc",
            g,
            plus(
                m(
                    "__address__",
                    "10.0.0.1:8080",
                    "endpointslice_endpoint_conditions_ready",
                    "true",
                    "endpointslice_endpoint_conditions_serving",
                    "true",
                    "endpointslice_endpoint_conditions_terminating",
                    "false",
                    "endpointslice_endpoint_hostname",
                    "web-1",
                    "endpointslice_address_target_kind",
                    "Pod",
                    "endpointslice_address_target_name",
                    "web-1",
                    "endpointslice_endpoint_topology_topology_kubernetes_io_zone",
                    "z1",
                    "endpointslice_endpoint_topology_present_topology_kubernetes_io_zone",
                    "true"),
                port,
                webPod(),
                C1_HTTP),
            plus(
                m(
                    "__address__",
                    "10.0.0.3:8080",
                    "endpointslice_endpoint_conditions_ready",
                    "false"),
                port),
            plus(m("__address__", "10.0.0.1:9090"), webPod(), C1_METRICS)));
  }

  static Stream<Arguments> roles() {
    return Stream.of(
        Arguments.of(Named.of("pod", config("pod", false, false)), pods(false)),
        Arguments.of(
            Named.of("pod with node and namespace metadata", config("pod", true, true)),
            pods(true)),
        Arguments.of(Named.of("service", config("service", false, false)), services()),
        Arguments.of(Named.of("node", config("node", false, false)), nodes()),
        Arguments.of(Named.of("ingress", config("ingress", false, false)), ingresses()),
        Arguments.of(Named.of("endpoints", config("endpoints", false, false)), endpoints(false)),
        Arguments.of(
            Named.of("endpoints with node and namespace metadata", config("endpoints", true, true)),
            endpoints(true)),
        Arguments.of(
            Named.of("endpointslice", config("endpointslice", false, false)), endpointSlices()));
  }

  @ParameterizedTest
  @MethodSource("roles")
  void roleYieldsPrometheusGroupsAndLabels(KubernetesSdConfig c, Map<String, Expected> want)
      throws Exception {
    assertEquals(want, Expected.of(discover(c)));
  }
}
