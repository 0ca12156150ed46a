package dev.quarry.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The related objects a role's group builder may consult: informer caches in production, maps in
 * tests. Each method returns null when the object is unknown (or its kind is not watched, e.g.
 * nodes without {@code attach_metadata.node}). Implementations are safe to call from any thread.
 */
interface Lookup {
  Pod pod(String namespace, String name);

  Service service(String namespace, String name);

  /** Null unless {@code attach_metadata.node} is set. */
  Node node(String name);

  /** Null unless {@code attach_metadata.namespace} is set. */
  Namespace namespace(String name);

  /** Whether node metadata is attached (so a node that is missing adds nothing). */
  boolean attachNode();

  boolean attachNamespace();
}
