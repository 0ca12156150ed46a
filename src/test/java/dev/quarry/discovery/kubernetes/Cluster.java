package dev.quarry.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The objects the discovery tests create in the API server, one of each shape every label of
 * every role needs: namespace {@code ns1} with labels and annotations, two nodes (one with an
 * InternalIP, one with only ExternalDNS and Hostname), pods with ports, port-less and init
 * containers and owners, three kinds of services, Endpoints and an EndpointSlice for {@code web},
 * and an ingress with TLS, wildcard and host-less rules.
 */
final class Cluster {
  static final String NS = "ns1";

  private Cluster() {}

  static void create(KubernetesClient c) {
    for (HasMetadata o : objects()) {
      c.resource(o).create();
    }
  }

  static List<HasMetadata> objects() {
    return List.of(
        new NamespaceBuilder().withNewMetadata().withName(NS)
            .addToLabels("team", "a").addToAnnotations("owner", "x").endMetadata().build(),
        new NodeBuilder().withNewMetadata().withName("n1")
            .addToLabels("kubernetes.io/hostname", "n1").addToLabels("zone", "z1")
            .addToAnnotations("node.alpha/ann", "v").endMetadata()
            .withNewSpec().withProviderID("aws://1").endSpec()
            .withNewStatus()
            .addNewAddress().withType("Hostname").withAddress("n1").endAddress()
            .addNewAddress().withType("InternalIP").withAddress("10.1.0.1").endAddress()
            .addNewAddress().withType("ExternalIP").withAddress("1.2.3.4").endAddress()
            .addNewAddress().withType("InternalIP").withAddress("10.1.0.2").endAddress()
            .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250)
            .endKubeletEndpoint().endDaemonEndpoints()
            .endStatus().build(),
        new NodeBuilder().withNewMetadata().withName("n2").endMetadata()
            .withNewStatus()
            .addNewAddress().withType("Hostname").withAddress("n2-host").endAddress()
            .addNewAddress().withType("ExternalDNS").withAddress("n2.example").endAddress()
            .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10255)
            .endKubeletEndpoint().endDaemonEndpoints()
            .endStatus().build(),
        webPod(),
        new PodBuilder().withNewMetadata().withName("pending").withNamespace(NS)
            .endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer()
            .endSpec().withNewStatus().withPhase("Pending").endStatus().build(),
        new PodBuilder().withNewMetadata().withName("db-1").withNamespace(NS)
            .endMetadata()
            .withNewSpec().withNodeName("n2").addToContainers(new ContainerBuilder()
                .withName("db").withImage("pg").addNewPort().withContainerPort(5432)
                .withName("pg").withProtocol("TCP").endPort().build())
            .endSpec()
            .withNewStatus().withPodIP("10.0.0.2").withPhase("Running").endStatus().build(),
        new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS)
            .addToLabels("app", "web").addToAnnotations("prometheus.io/port", "9090")
            .endMetadata()
            .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10")
            .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
            .endSpec().build(),
        new ServiceBuilder().withNewMetadata().withName("ext").withNamespace(NS).endMetadata()
            .withNewSpec().withType("ExternalName").withExternalName("example.com")
            .addNewPort().withName("https").withPort(443).withProtocol("TCP").endPort()
            .endSpec().build(),
        new ServiceBuilder().withNewMetadata().withName("lb").withNamespace(NS).endMetadata()
            .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.11")
            .withLoadBalancerIP("5.6.7.8")
            .addNewPort().withName("p").withPort(8443).withProtocol("TCP").endPort()
            .endSpec().build(),
        new EndpointsBuilder().withNewMetadata().withName("web").withNamespace(NS)
            .addToLabels("endpoints.label", "x").endMetadata()
            .addNewSubset()
            .addToAddresses(new EndpointAddressBuilder().withIp("10.0.0.1").withNodeName("n1")
                .withHostname("web-1").withTargetRef(podRef("web-1")).build())
            .addToNotReadyAddresses(new EndpointAddressBuilder().withIp("10.0.0.2")
                .withNodeName("n2").withTargetRef(podRef("db-1")).build())
            .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
            .endSubset().build(),
        new EndpointSliceBuilder().withNewMetadata().withName("web-abc").withNamespace(NS)
            .addToLabels("kubernetes.io/service-name", "web").endMetadata()
            .withAddressType("IPv4")
            .addNewPort().withName("http").withPort(8080).withProtocol("TCP")
            .withAppProtocol("http").endPort()
            .addNewEndpoint().withAddresses("10.0.0.1").withHostname("web-1").withNodeName("n1")
            .withNewConditions().withReady(true).withServing(true).withTerminating(false)
            .endConditions()
            .withTargetRef(podRef("web-1"))
            .withDeprecatedTopology(Map.of("topology.kubernetes.io/zone", "z1"))
            .endEndpoint()
            .addNewEndpoint().withAddresses("10.0.0.3").withNewConditions().withReady(false)
            .endConditions().endEndpoint()
            .build(),
        new IngressBuilder().withNewMetadata().withName("ing").withNamespace(NS)
            .addToLabels("a", "b").addToAnnotations("kubernetes.io/ingress.class", "nginx")
            .endMetadata()
            .withNewSpec().withIngressClassName("nginx")
            .addNewTl().withHosts("secure.example", "*.wild.example").endTl()
            .addNewRule().withHost("secure.example").withNewHttp()
            .addNewPath().withPath("/a").withPathType("Prefix").withNewBackend().withNewService()
            .withName("web").withNewPort().withNumber(80).endPort().endService().endBackend()
            .endPath()
            .addNewPath().withPathType("Prefix").withNewBackend().withNewService()
            .withName("web").withNewPort().withNumber(80).endPort().endService().endBackend()
            .endPath()
            .endHttp().endRule()
            .addNewRule().withHost("foo.wild.example").endRule()
            .addNewRule().withHost("a.b.wild.example").endRule()
            .addNewRule().withNewHttp().addNewPath().withPath("/x").withPathType("Prefix")
            .withNewBackend().withNewService().withName("web").withNewPort().withNumber(80)
            .endPort().endService().endBackend().endPath().endHttp().endRule()
            .endSpec().build());
  }

  /**
   * Changes for the watch: pod db-1 deleted (and its address removed from the endpoints), pod
   * web-2 added, service web relabelled, and web-2's endpoint address turning ready.
   */
  static void changes(ListWatchApiServer api) throws InterruptedException {
    HasMetadata db = objects().stream()
        .filter(o -> o.getMetadata().getName().equals("db-1")).findFirst().orElseThrow();
    api.delete(db);
    Pod web2 = new PodBuilder(webPod()).editMetadata().withName("web-2").endMetadata()
        .editStatus().withPodIP("10.0.0.5").endStatus().build();
    api.put(web2);
    api.put(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS)
        .addToLabels("app", "web").addToLabels("tier", "new").endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10")
        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
        .endSpec().build());
    var eps = new EndpointsBuilder().withNewMetadata().withName("web").withNamespace(NS)
        .addToLabels("endpoints.label", "x").endMetadata()
        .addNewSubset()
        .addToAddresses(new EndpointAddressBuilder().withIp("10.0.0.1").withNodeName("n1")
            .withHostname("web-1").withTargetRef(podRef("web-1")).build())
        .addToNotReadyAddresses(new EndpointAddressBuilder().withIp("10.0.0.5")
            .withTargetRef(podRef("web-2")).build())
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .endSubset();
    api.put(eps.build());
    Thread.sleep(500);
    api.put(new EndpointsBuilder(eps.build()).editFirstSubset().withNotReadyAddresses()
        .addToAddresses(new EndpointAddressBuilder().withIp("10.0.0.5")
            .withTargetRef(podRef("web-2")).build()).endSubset().build());
  }

  static Pod webPod() {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace(NS)
        .addToLabels("app", "web").addToLabels("app.kubernetes.io/name", "web")
        .addToAnnotations("prometheus.io/scrape", "true")
        .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName("not-controller")
        .withUid("u0").endOwnerReference()
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName("web-rs").withUid("u1").withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("n1")
        .addNewContainer().withName("c1").withImage("img1")
        .addNewPort().withContainerPort(8080).withName("http").withProtocol("TCP").endPort()
        .addNewPort().withContainerPort(9090).withName("metrics").withProtocol("TCP").endPort()
        .endContainer()
        .addNewContainer().withName("c2").withImage("img2").endContainer()
        .addNewInitContainer().withName("init").withImage("initimg").endInitContainer()
        .endSpec()
        .withNewStatus().withPodIP("10.0.0.1").withHostIP("10.1.0.1").withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("c1").withContainerID("containerd://c1")
        .endContainerStatus()
        .addNewContainerStatus().withName("c2").withContainerID("containerd://c2")
        .endContainerStatus()
        .addNewInitContainerStatus().withName("init").withContainerID("containerd://i")
        .endInitContainerStatus()
        .endStatus().build();
  }

  static io.fabric8.kubernetes.api.model.ObjectReference podRef(String name) {
    return new ObjectReferenceBuilder().withKind("Pod").withNamespace(NS).withName(name).build();
  }
}
