package dev.quarry.discovery;

import dev.quarry.model.Labels;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import io.vertx.core.dns.MxRecord;
import io.vertx.core.dns.SrvRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Looks up one configured name of a {@code dns_sd_configs} entry and turns the answer into target
 * labels, with Prometheus' outcomes ({@code lookupWithSearchPath}):
 *
 * <ul>
 *   <li>the names of {@link ResolvConf#nameList} are tried in order, each on every server in turn
 *       until one gives a viable answer (NOERROR, possibly empty, or NXDOMAIN); the first NOERROR
 *       answer is the result;
 *   <li>NXDOMAIN for every name means the name has no records: an empty result, not an error;
 *   <li>otherwise (timeouts, SERVFAIL, REFUSED, a send failure on some name) the lookup fails, so
 *       the caller keeps what it had.
 * </ul>
 *
 * <p>Each target has {@code __address__} and {@code __meta_dns_name} (the configured name); SRV, MX
 * and NS targets also their record's target with the trailing dot ({@code
 * __meta_dns_srv_record_target}, {@code __meta_dns_mx_record_target}, {@code
 * __meta_dns_ns_record_target}) and SRV targets {@code __meta_dns_srv_record_port}; the address
 * uses the record target without its dot. Labels that do not apply to the type are absent. IPv6
 * addresses are written as Go writes them ({@code [::1]:80}).
 *
 * <p>Stateless apart from its settings; every query is made through the client {@code clients}
 * gives for a server and completes on the caller's context.
 */
final class DnsLookup {
  private static final Logger LOG = Logger.getLogger(DnsLookup.class);
  static final String META_NAME = "__meta_dns_name";
  static final String META_SRV_TARGET = "__meta_dns_srv_record_target";
  static final String META_SRV_PORT = "__meta_dns_srv_record_port";
  static final String META_MX_TARGET = "__meta_dns_mx_record_target";
  static final String META_NS_TARGET = "__meta_dns_ns_record_target";

  private final Function<InetSocketAddress, DnsClient> clients;
  private final String type;
  private final int port;

  /**
   * @param type one of {@link dev.quarry.config.DnsSdConfig#TYPES}
   * @param port the port of A, AAAA, MX and NS targets
   */
  DnsLookup(Function<InetSocketAddress, DnsClient> clients, String type, int port) {
    this.clients = clients;
    this.type = type;
    this.port = port;
  }

  /** The targets of {@code name}, or a failure whose message says why it could not be resolved. */
  Future<List<Labels>> lookup(ResolvConf conf, String name) {
    return tryNames(conf, name, conf.nameList(name), 0, true, null);
  }

  private Future<List<Labels>> tryNames(
      ResolvConf conf,
      String name,
      List<String> candidates,
      int i,
      boolean allNxdomain,
      String lastError) {
    if (i == candidates.size()) {
      if (allNxdomain) {
        return Future.succeededFuture(List.of());
      }
      return Future.failedFuture(
          "could not resolve \""
              + name
              + "\": all servers responded with errors to at least one search domain (last: "
              + lastError
              + ")");
    }
    String candidate = candidates.get(i);
    return tryServers(conf.servers(), name, candidate, 0, null)
        .transform(
            ar -> {
              if (ar.failed()) {
                return tryNames(conf, name, candidates, i + 1, false, ar.cause().getMessage());
              }
              if (ar.result() != null) {
                return Future.succeededFuture(ar.result());
              }
              return tryNames(conf, name, candidates, i + 1, allNxdomain, lastError);
            });
  }

  /** The targets of a NOERROR answer, null for NXDOMAIN, or a failure when no server gave one. */
  private Future<List<Labels>> tryServers(
      List<InetSocketAddress> servers, String name, String candidate, int j, String lastError) {
    if (j == servers.size()) {
      return Future.failedFuture(
          "could not resolve "
              + candidate
              + ": no servers returned a viable answer"
              + (lastError == null ? "" : " (" + lastError + ")"));
    }
    InetSocketAddress server = servers.get(j);
    Future<List<Labels>> answer;
    try {
      answer = query(clients.apply(server), candidate, name);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.transform(
        ar -> {
          if (ar.succeeded()) {
            return Future.succeededFuture(ar.result());
          }
          if (ar.cause() instanceof DnsException e && e.code() == DnsResponseCode.NXDOMAIN) {
            return Future.succeededFuture(null);
          }
          String why = "server " + hostPort(server) + ": " + reason(ar.cause());
          LOG.debugf("DNS resolution of %s %s failed: %s", candidate, type, why);
          return tryServers(servers, name, candidate, j + 1, why);
        });
  }

  private Future<List<Labels>> query(DnsClient c, String fqdn, String name) {
    return switch (type) {
      case "A" -> c.resolveA(fqdn).map(l -> addresses(l, name));
      case "AAAA" -> c.resolveAAAA(fqdn).map(l -> addresses(l, name));
      case "SRV" -> c.resolveSRV(fqdn).map(l -> srv(l, name));
      case "MX" -> c.resolveMX(fqdn).map(l -> mx(l, name));
      case "NS" -> c.resolveNS(fqdn).map(l -> ns(l, name));
      default -> Future.failedFuture("unsupported record type " + type);
    };
  }

  private List<Labels> addresses(List<String> ips, String name) {
    List<Labels> out = new ArrayList<>(ips.size());
    for (String ip : ips) {
      if (ip != null) { // a record Vert.x could not decode
        out.add(Labels.of("__address__", joinHostPort(goIp(ip), port), META_NAME, name));
      }
    }
    return out;
  }

  private static List<Labels> srv(List<SrvRecord> records, String name) {
    List<Labels> out = new ArrayList<>(records.size());
    for (SrvRecord r : records) {
      if (r != null) {
        String host = host(r.target());
        out.add(
            Labels.of(
                "__address__",
                joinHostPort(host, r.port()),
                META_NAME,
                name,
                META_SRV_TARGET,
                host + ".",
                META_SRV_PORT,
                Integer.toString(r.port())));
      }
    }
    return out;
  }

  private List<Labels> mx(List<MxRecord> records, String name) {
    List<Labels> out = new ArrayList<>(records.size());
    for (MxRecord r : records) {
      if (r != null) {
        String host = host(r.name());
        out.add(
            Labels.of(
                "__address__",
                joinHostPort(host, port),
                META_NAME,
                name,
                META_MX_TARGET,
                host + "."));
      }
    }
    return out;
  }

  private List<Labels> ns(List<String> records, String name) {
    List<Labels> out = new ArrayList<>(records.size());
    for (String r : records) {
      if (r != null) {
        String host = host(r);
        out.add(
            Labels.of(
                "__address__",
                joinHostPort(host, port),
                META_NAME,
                name,
                META_NS_TARGET,
                host + "."));
      }
    }
    return out;
  }

  /**
   * A record's domain name without trailing dots. Vert.x gives names without the final dot and the
   * root as null; Prometheus' labels carry the rooted form, so callers add one dot back.
   */
  private static String host(String name) {
    String h = name == null ? "" : name;
    int end = h.length();
    while (end > 0 && h.charAt(end - 1) == '.') {
      end--;
    }
    return h.substring(0, end);
  }

  /**
   * An address as Go's {@code net.IP.String} writes it: IPv6 in RFC 5952 short form ({@code ::1},
   * not Java's {@code 0:0:0:0:0:0:0:1}), an IPv4-mapped IPv6 address in dotted form.
   */
  static String goIp(String ip) {
    byte[] b = NetUtil.createByteArrayFromIpAddressString(ip);
    if (b == null) {
      return ip;
    }
    try {
      return NetUtil.toAddressString(InetAddress.getByAddress(b));
    } catch (UnknownHostException e) {
      return ip;
    }
  }

  /** Go's {@code net.JoinHostPort}: an IPv6 host in brackets. */
  static String joinHostPort(String host, int port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  private static String hostPort(InetSocketAddress a) {
    return joinHostPort(NetUtil.toAddressString(a.getAddress()), a.getPort());
  }

  private static String reason(Throwable t) {
    if (t instanceof DnsException e) {
      return "server answered " + e.code().name();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
