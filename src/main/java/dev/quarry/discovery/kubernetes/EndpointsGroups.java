package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.MetaLabels.ADDRESS;
import static dev.quarry.discovery.kubernetes.MetaLabels.NAMESPACE;
import static dev.quarry.discovery.kubernetes.MetaLabels.PREFIX;
import static dev.quarry.discovery.kubernetes.MetaLabels.str;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code endpoints} role, as Prometheus 2.42's {@code endpoints.go}: one group per Endpoints
 * object (source {@code endpoints/<ns>/<name>}) carrying the same-named service's labels, one
 * target per subset port and address (ready ones, then not-ready ones), the backing pod's labels on
 * targets whose address refers to a known pod, and one extra target per container port of such a
 * pod that no endpoint port covers. Stateless.
 */
final class EndpointsGroups {
  static final String ENDPOINTS = PREFIX + "endpoints";
  static final String ENDPOINT = PREFIX + "endpoint";

  private EndpointsGroups() {}

  static String source(String key) {
    return "endpoints/" + key;
  }

  static TargetGroup build(String key, Endpoints eps, Lookup lookup) {
    String ns = str(eps.getMetadata().getNamespace());
    Labels.Builder g = Labels.builder();
    g.set(NAMESPACE, ns);
    g.set(ENDPOINTS + "_name", str(eps.getMetadata().getName()));
    var svc = lookup.service(ns, eps.getMetadata().getName());
    if (svc != null) {
      ServiceGroups.serviceLabels(g, svc);
    }
    if (lookup.attachNamespace()) {
      MetaLabels.addNamespaceMetadata(g, lookup.namespace(ns));
    }
    MetaLabels.addMap(g, ENDPOINTS, "label", eps.getMetadata().getLabels());

    List<Labels> targets = new ArrayList<>();
    Map<String, PodPorts> seenPods = new LinkedHashMap<>();
    for (EndpointSubset ss : PodGroups.nonNull(eps.getSubsets())) {
      for (EndpointPort port : PodGroups.nonNull(ss.getPorts())) {
        for (EndpointAddress addr : PodGroups.nonNull(ss.getAddresses())) {
          targets.add(target(addr, port, "true", lookup, seenPods));
        }
        for (EndpointAddress addr : PodGroups.nonNull(ss.getNotReadyAddresses())) {
          targets.add(target(addr, port, "false", lookup, seenPods));
        }
      }
    }
    for (PodPorts pe : seenPods.values()) {
      addUncoveredPorts(targets, pe.pod, pe.covered);
    }
    return new TargetGroup(source(key), List.copyOf(targets), g.build());
  }

  /** A pod seen behind some address, with the endpoint ports that point at it. */
  record PodPorts(Pod pod, List<Integer> covered) {}

  private static Labels target(
      EndpointAddress addr,
      EndpointPort port,
      String ready,
      Lookup lookup,
      Map<String, PodPorts> seenPods) {
    String portStr = MetaLabels.port(port.getPort());
    Labels.Builder t =
        Labels.builder()
            .set(ADDRESS, MetaLabels.joinHostPort(addr.getIp(), portStr))
            .set(ENDPOINT + "_port_name", str(port.getName()))
            .set(ENDPOINT + "_port_protocol", str(port.getProtocol()))
            .set(ENDPOINT + "_ready", ready);
    ObjectReference ref = addr.getTargetRef();
    if (ref != null) {
      t.set(ENDPOINT + "_address_target_kind", str(ref.getKind()));
      t.set(ENDPOINT + "_address_target_name", str(ref.getName()));
    }
    if (addr.getNodeName() != null) {
      t.set(ENDPOINT + "_node_name", addr.getNodeName());
    }
    if (addr.getHostname() != null && !addr.getHostname().isEmpty()) {
      t.set(ENDPOINT + "_hostname", addr.getHostname());
    }
    if (lookup.attachNode() && addr.getNodeName() != null) {
      MetaLabels.addNodeMetadata(t, addr.getNodeName(), lookup.node(addr.getNodeName()));
    }
    Pod pod = resolvePod(ref, lookup);
    if (pod == null) {
      return t.build();
    }
    PodPorts pe =
        seenPods.computeIfAbsent(
            pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
            k -> new PodPorts(pod, new ArrayList<>()));
    PodGroups.podLabels(t, pod);
    // As Prometheus: the last container declaring the port wins.
    for (Container c : containers(pod)) {
      for (ContainerPort cport : PodGroups.nonNull(c.getPorts())) {
        if (port.getPort() != null && port.getPort().equals(cport.getContainerPort())) {
          t.set(PodGroups.CONTAINER_NAME, str(c.getName()));
          t.set(PodGroups.CONTAINER_IMAGE, str(c.getImage()));
          t.set(PodGroups.PORT_NAME, str(cport.getName()));
          t.set(PodGroups.PORT_NUMBER, portStr);
          t.set(PodGroups.PORT_PROTOCOL, str(port.getProtocol()));
          break;
        }
      }
    }
    pe.covered.add(port.getPort());
    return t.build();
  }

  static Pod resolvePod(ObjectReference ref, Lookup lookup) {
    if (ref == null || !"Pod".equals(ref.getKind())) {
      return null;
    }
    return lookup.pod(str(ref.getNamespace()), str(ref.getName()));
  }

  static List<Container> containers(Pod pod) {
    return pod.getSpec() == null ? List.of() : PodGroups.nonNull(pod.getSpec().getContainers());
  }

  /** Targets for the container ports of {@code pod} that no endpoint port pointed at. */
  static void addUncoveredPorts(List<Labels> targets, Pod pod, List<Integer> covered) {
    String ip = pod.getStatus() == null ? "" : str(pod.getStatus().getPodIP());
    for (Container c : containers(pod)) {
      for (ContainerPort cport : PodGroups.nonNull(c.getPorts())) {
        if (covered.contains(cport.getContainerPort())) {
          continue;
        }
        String port = MetaLabels.port(cport.getContainerPort());
        Labels.Builder t =
            Labels.builder()
                .set(ADDRESS, MetaLabels.joinHostPort(ip, port))
                .set(PodGroups.CONTAINER_NAME, str(c.getName()))
                .set(PodGroups.CONTAINER_IMAGE, str(c.getImage()))
                .set(PodGroups.PORT_NAME, str(cport.getName()))
                .set(PodGroups.PORT_NUMBER, port)
                .set(PodGroups.PORT_PROTOCOL, str(cport.getProtocol()));
        PodGroups.podLabels(t, pod);
        targets.add(t.build());
      }
    }
  }
}
