package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.MetaLabels.ADDRESS;
import static dev.quarry.discovery.kubernetes.MetaLabels.NAMESPACE;
import static dev.quarry.discovery.kubernetes.MetaLabels.PREFIX;
import static dev.quarry.discovery.kubernetes.MetaLabels.str;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code service} role, as Prometheus 2.42's {@code service.go}: one group per service (source
 * {@code svc/<ns>/<name>}) with one target per port at {@code <name>.<ns>.svc:<port>}. Stateless.
 */
final class ServiceGroups {
  static final String SERVICE = PREFIX + "service";

  private ServiceGroups() {}

  static String source(String key) {
    return "svc/" + key;
  }

  /** Name, namespace, labels and annotations; the endpoints roles add these to their groups. */
  static void serviceLabels(Labels.Builder b, Service svc) {
    b.set(SERVICE + "_name", str(svc.getMetadata().getName()));
    b.set(NAMESPACE, str(svc.getMetadata().getNamespace()));
    MetaLabels.addLabelsAndAnnotations(b, SERVICE, svc.getMetadata());
  }

  static TargetGroup build(String key, Service svc, Lookup lookup) {
    Labels.Builder g = Labels.builder();
    serviceLabels(g, svc);
    String ns = str(svc.getMetadata().getNamespace());
    if (lookup.attachNamespace()) {
      MetaLabels.addNamespaceMetadata(g, lookup.namespace(ns));
    }
    List<Labels> targets = new ArrayList<>();
    var spec = svc.getSpec();
    if (spec != null) {
      String type = str(spec.getType());
      for (ServicePort p : PodGroups.nonNull(spec.getPorts())) {
        String port = MetaLabels.port(p.getPort());
        Labels.Builder t =
            Labels.builder()
                .set(
                    ADDRESS,
                    MetaLabels.joinHostPort(svc.getMetadata().getName() + "." + ns + ".svc", port))
                .set(SERVICE + "_port_name", str(p.getName()))
                .set(SERVICE + "_port_number", port)
                .set(SERVICE + "_port_protocol", str(p.getProtocol()))
                .set(SERVICE + "_type", type);
        if (type.equals("ExternalName")) {
          t.set(SERVICE + "_external_name", str(spec.getExternalName()));
        } else {
          t.set(SERVICE + "_cluster_ip", str(spec.getClusterIP()));
        }
        if (type.equals("LoadBalancer")) {
          t.set(SERVICE + "_loadbalancer_ip", str(spec.getLoadBalancerIP()));
        }
        targets.add(t.build());
      }
    }
    return new TargetGroup(source(key), List.copyOf(targets), g.build());
  }
}
