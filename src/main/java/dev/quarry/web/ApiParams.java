package dev.quarry.web;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

/**
 * The parameters of an API call: the URL's query and, for a POST, its form body, as Go's {@code
 * FormValue} reads them.
 */
final class ApiParams {
  private ApiParams() {}

  static MultivaluedMap<String, String> of(UriInfo uri, MultivaluedMap<String, String> form) {
    MultivaluedMap<String, String> all = new MultivaluedHashMap<>();
    if (form != null) {
      form.forEach(all::addAll); // Go's FormValue prefers the body over the URL
    }
    uri.getQueryParameters().forEach(all::addAll);
    return all;
  }

  /** The first value of {@code name}, or "" as Go's {@code FormValue} gives. */
  static String get(MultivaluedMap<String, String> p, String name) {
    String v = p.getFirst(name);
    return v == null ? "" : v;
  }
}
