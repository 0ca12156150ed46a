package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.MetaLabels.ADDRESS;
import static dev.quarry.discovery.kubernetes.MetaLabels.NAMESPACE;
import static dev.quarry.discovery.kubernetes.MetaLabels.PREFIX;
import static dev.quarry.discovery.kubernetes.MetaLabels.str;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code pod} role, as Prometheus 2.42's {@code pod.go}: one group per pod (source {@code
 * pod/<ns>/<name>}), no targets while the pod has no IP, otherwise one target per declared
 * container port ({@code <podIP>:<port>}) and one port-less target ({@code <podIP>}) per container
 * without ports, init containers included. Stateless.
 */
final class PodGroups {
  static final String POD = PREFIX + "pod";
  static final String CONTAINER_NAME = POD + "_container_name";
  static final String CONTAINER_IMAGE = POD + "_container_image";
  static final String CONTAINER_ID = POD + "_container_id";
  static final String CONTAINER_INIT = POD + "_container_init";
  static final String PORT_NAME = POD + "_container_port_name";
  static final String PORT_NUMBER = POD + "_container_port_number";
  static final String PORT_PROTOCOL = POD + "_container_port_protocol";

  private PodGroups() {}

  static String source(String key) {
    return "pod/" + key;
  }

  /** The pod-wide labels, which the endpoints roles also attach to targets backed by a pod. */
  static void podLabels(Labels.Builder b, Pod pod) {
    var meta = pod.getMetadata();
    var status = pod.getStatus();
    var spec = pod.getSpec();
    b.set(POD + "_name", str(meta.getName()));
    b.set(POD + "_ip", status == null ? "" : str(status.getPodIP()));
    b.set(POD + "_ready", ready(pod));
    b.set(POD + "_phase", status == null ? "" : str(status.getPhase()));
    b.set(POD + "_node_name", spec == null ? "" : str(spec.getNodeName()));
    b.set(POD + "_host_ip", status == null ? "" : str(status.getHostIP()));
    b.set(POD + "_uid", str(meta.getUid()));
    OwnerReference owner = controller(pod);
    if (owner != null) {
      b.set(POD + "_controller_kind", str(owner.getKind()));
      b.set(POD + "_controller_name", str(owner.getName()));
    }
    MetaLabels.addLabelsAndAnnotations(b, POD, meta);
  }

  static TargetGroup build(String key, Pod pod, Lookup lookup) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      return new TargetGroup(source(key), List.of(), Labels.EMPTY);
    }
    Labels.Builder g = Labels.builder();
    podLabels(g, pod);
    String ns = pod.getMetadata().getNamespace();
    g.set(NAMESPACE, str(ns));
    if (lookup.attachNode()) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      MetaLabels.addNodeMetadata(g, node, node == null ? null : lookup.node(node));
    }
    if (lookup.attachNamespace()) {
      MetaLabels.addNamespaceMetadata(g, lookup.namespace(ns));
    }
    List<Labels> targets = new ArrayList<>();
    List<Container> containers = new ArrayList<>();
    int regular = 0;
    if (pod.getSpec() != null) {
      containers.addAll(nonNull(pod.getSpec().getContainers()));
      regular = containers.size();
      containers.addAll(nonNull(pod.getSpec().getInitContainers()));
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      boolean init = i >= regular;
      List<ContainerStatus> statuses =
          pod.getStatus() == null
              ? List.of()
              : nonNull(
                  init
                      ? pod.getStatus().getInitContainerStatuses()
                      : pod.getStatus().getContainerStatuses());
      String id = containerId(statuses, c.getName());
      List<ContainerPort> ports = nonNull(c.getPorts());
      if (ports.isEmpty()) {
        targets.add(
            Labels.builder()
                .set(ADDRESS, ip)
                .set(CONTAINER_NAME, str(c.getName()))
                .set(CONTAINER_ID, id)
                .set(CONTAINER_IMAGE, str(c.getImage()))
                .set(CONTAINER_INIT, Boolean.toString(init))
                .build());
        continue;
      }
      for (ContainerPort p : ports) {
        String port = MetaLabels.port(p.getContainerPort());
        targets.add(
            Labels.builder()
                .set(ADDRESS, MetaLabels.joinHostPort(ip, port))
                .set(CONTAINER_NAME, str(c.getName()))
                .set(CONTAINER_ID, id)
                .set(CONTAINER_IMAGE, str(c.getImage()))
                .set(PORT_NUMBER, port)
                .set(PORT_NAME, str(p.getName()))
                .set(PORT_PROTOCOL, str(p.getProtocol()))
                .set(CONTAINER_INIT, Boolean.toString(init))
                .build());
      }
    }
    return new TargetGroup(source(key), List.copyOf(targets), g.build());
  }

  private static String containerId(List<ContainerStatus> statuses, String name) {
    for (ContainerStatus s : statuses) {
      if (s.getName() != null && s.getName().equals(name)) {
        return str(s.getContainerID());
      }
    }
    return "";
  }

  /** {@code Ready} condition status in lower case, {@code unknown} without one. */
  private static String ready(Pod pod) {
    if (pod.getStatus() != null) {
      for (PodCondition c : nonNull(pod.getStatus().getConditions())) {
        if ("Ready".equals(c.getType())) {
          return str(c.getStatus()).toLowerCase(Locale.ROOT);
        }
      }
    }
    return "unknown";
  }

  /** The owner reference marked {@code controller: true}, as metav1.GetControllerOf. */
  private static OwnerReference controller(Pod pod) {
    for (OwnerReference r : nonNull(pod.getMetadata().getOwnerReferences())) {
      if (Boolean.TRUE.equals(r.getController())) {
        return r;
      }
    }
    return null;
  }

  static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }
}
