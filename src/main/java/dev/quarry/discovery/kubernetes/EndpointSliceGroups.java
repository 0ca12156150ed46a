package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.MetaLabels.ADDRESS;
import static dev.quarry.discovery.kubernetes.MetaLabels.NAMESPACE;
import static dev.quarry.discovery.kubernetes.MetaLabels.PREFIX;
import static dev.quarry.discovery.kubernetes.MetaLabels.TRUE;
import static dev.quarry.discovery.kubernetes.MetaLabels.str;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code endpointslice} role ({@code discovery.k8s.io/v1}), as Prometheus 2.42's {@code
 * endpointslice.go}: one group per slice (source {@code endpointslice/<ns>/<name>}) with the labels
 * of the service named by its {@code kubernetes.io/service-name} label, one target per endpoint,
 * port and address with the endpoint's conditions, hostname, target reference and (deprecated)
 * topology, the backing pod's labels, and the uncovered container ports of those pods as extra
 * targets. Stateless.
 */
final class EndpointSliceGroups {
  static final String SLICE = PREFIX + "endpointslice";
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointSliceGroups() {}

  static String source(String key) {
    return "endpointslice/" + key;
  }

  static TargetGroup build(String key, EndpointSlice eps, Lookup lookup) {
    String ns = str(eps.getMetadata().getNamespace());
    Labels.Builder g = Labels.builder();
    g.set(NAMESPACE, ns);
    g.set(SLICE + "_name", str(eps.getMetadata().getName()));
    g.set(SLICE + "_address_type", str(eps.getAddressType()));
    Map<String, String> labels = eps.getMetadata().getLabels();
    String svcName = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    if (svcName != null) {
      var svc = lookup.service(ns, svcName);
      if (svc != null) {
        ServiceGroups.serviceLabels(g, svc);
      }
    }
    if (lookup.attachNamespace()) {
      MetaLabels.addNamespaceMetadata(g, lookup.namespace(ns));
    }
    List<Labels> targets = new ArrayList<>();
    Map<String, EndpointsGroups.PodPorts> seenPods = new LinkedHashMap<>();
    for (Endpoint ep : PodGroups.nonNull(eps.getEndpoints())) {
      for (EndpointPort port : PodGroups.nonNull(eps.getPorts())) {
        for (String addr : PodGroups.nonNull(ep.getAddresses())) {
          targets.add(target(addr, ep, port, lookup, seenPods));
        }
      }
    }
    for (EndpointsGroups.PodPorts pe : seenPods.values()) {
      EndpointsGroups.addUncoveredPorts(targets, pe.pod(), pe.covered());
    }
    return new TargetGroup(source(key), List.copyOf(targets), g.build());
  }

  private static Labels target(
      String addr,
      Endpoint ep,
      EndpointPort port,
      Lookup lookup,
      Map<String, EndpointsGroups.PodPorts> seenPods) {
    Integer portNum = port.getPort();
    String address = portNum == null ? addr : MetaLabels.joinHostPort(addr, portNum.toString());
    Labels.Builder t = Labels.builder().set(ADDRESS, address);
    if (port.getName() != null) {
      t.set(SLICE + "_port_name", port.getName());
    }
    if (port.getProtocol() != null) {
      t.set(SLICE + "_port_protocol", port.getProtocol());
    }
    if (portNum != null) {
      t.set(SLICE + "_port", portNum.toString());
    }
    if (port.getAppProtocol() != null) {
      t.set(SLICE + "_port_app_protocol", port.getAppProtocol());
    }
    var cond = ep.getConditions();
    if (cond != null) {
      if (cond.getReady() != null) {
        t.set(SLICE + "_endpoint_conditions_ready", cond.getReady().toString());
      }
      if (cond.getServing() != null) {
        t.set(SLICE + "_endpoint_conditions_serving", cond.getServing().toString());
      }
      if (cond.getTerminating() != null) {
        t.set(SLICE + "_endpoint_conditions_terminating", cond.getTerminating().toString());
      }
    }
    if (ep.getHostname() != null) {
      t.set(SLICE + "_endpoint_hostname", ep.getHostname());
    }
    if (ep.getTargetRef() != null) {
      t.set(SLICE + "_address_target_kind", str(ep.getTargetRef().getKind()));
      t.set(SLICE + "_address_target_name", str(ep.getTargetRef().getName()));
    }
    if (ep.getDeprecatedTopology() != null) {
      String values = SLICE + "_endpoint_topology_";
      String present = SLICE + "_endpoint_topology_present_";
      ep.getDeprecatedTopology()
          .forEach(
              (k, v) -> {
                String ln = MetaLabels.sanitize(k);
                t.set(values + ln, v);
                t.set(present + ln, TRUE);
              });
    }
    if (lookup.attachNode() && ep.getNodeName() != null) {
      MetaLabels.addNodeMetadata(t, ep.getNodeName(), lookup.node(ep.getNodeName()));
    }
    Pod pod = EndpointsGroups.resolvePod(ep.getTargetRef(), lookup);
    if (pod == null) {
      return t.build();
    }
    EndpointsGroups.PodPorts pe =
        seenPods.computeIfAbsent(
            pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
            k -> new EndpointsGroups.PodPorts(pod, new ArrayList<>()));
    PodGroups.podLabels(t, pod);
    for (Container c : EndpointsGroups.containers(pod)) {
      for (ContainerPort cport : PodGroups.nonNull(c.getPorts())) {
        if (portNum != null && portNum.equals(cport.getContainerPort())) {
          t.set(PodGroups.CONTAINER_NAME, str(c.getName()));
          t.set(PodGroups.CONTAINER_IMAGE, str(c.getImage()));
          t.set(PodGroups.PORT_NAME, str(cport.getName()));
          t.set(PodGroups.PORT_NUMBER, portNum.toString());
          t.set(PodGroups.PORT_PROTOCOL, str(cport.getProtocol()));
          break;
        }
      }
    }
    if (portNum != null) {
      pe.covered().add(portNum);
    }
    return t.build();
  }
}
