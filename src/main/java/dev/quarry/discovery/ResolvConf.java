package dev.quarry.discovery;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What DNS discovery takes from {@code /etc/resolv.conf}: the name servers (port 53), the search
 * list and {@code ndots}, read as Prometheus' resolver library does (miekg/dns {@code
 * ClientConfigFromFile}): {@code nameserver} lines in order, the last {@code search} or {@code
 * domain} line sets the search list, {@code options ndots:n} (0 to 15, default 1); anything else is
 * ignored. Name servers are IP addresses only, so building this never needs DNS itself. Immutable.
 *
 * @param servers where to send queries, tried in order
 * @param search suffixes tried for names that are not absolute
 * @param ndots a name with more labels than this is tried as written before the search list
 */
record ResolvConf(List<InetSocketAddress> servers, List<String> search, int ndots) {
  static final int DNS_PORT = 53;

  /** One server and no search list: every name is asked as written (made absolute). */
  static ResolvConf of(InetSocketAddress server) {
    return new ResolvConf(List.of(server), List.of(), 1);
  }

  static ResolvConf parse(String text) {
    List<InetSocketAddress> servers = new ArrayList<>();
    List<String> search = List.of();
    int ndots = 1;
    for (String line : text.split("\n", -1)) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 0 || f[0].isEmpty()) {
        continue;
      }
      switch (f[0]) {
        case "nameserver" -> {
          if (f.length > 1) {
            InetSocketAddress a = address(f[1], DNS_PORT);
            if (a != null) {
              servers.add(a);
            }
          }
        }
        case "domain" -> search = f.length > 1 ? List.of(f[1]) : List.of();
        case "search" -> search = List.of(f).subList(1, f.length);
        case "options" -> {
          for (int i = 1; i < f.length; i++) {
            if (f[i].startsWith("ndots:")) {
              ndots = Math.max(0, Math.min(15, atoi(f[i].substring(6))));
            }
          }
        }
        default -> {}
      }
    }
    return new ResolvConf(List.copyOf(servers), List.copyOf(search), ndots);
  }

  /**
   * Parses {@code ip}, {@code ip:port} or {@code [ipv6]:port} (a bare IPv6 address takes the
   * default port).
   *
   * @throws IllegalArgumentException when it is not an IP address with an optional valid port
   */
  static InetSocketAddress parseServer(String s) {
    String host = s.strip();
    int port = DNS_PORT;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("missing ']' in address \"" + s + "\"");
      }
      String rest = host.substring(end + 1);
      host = host.substring(1, end);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("unexpected \"" + rest + "\" in \"" + s + "\"");
        }
        port = port(rest.substring(1), s);
      }
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = port(host.substring(host.indexOf(':') + 1), s);
      host = host.substring(0, host.indexOf(':'));
    }
    InetSocketAddress a = address(host, port);
    if (a == null) {
      throw new IllegalArgumentException(
          "\"" + s + "\" is not an IP address with an optional port (host names are not allowed)");
    }
    return a;
  }

  private static int port(String p, String whole) {
    try {
      int n = Integer.parseInt(p);
      if (n >= 1 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("invalid port \"" + p + "\" in \"" + whole + "\"");
  }

  /** An IP literal (any zone suffix dropped) as a resolved address, or null: no DNS lookup. */
  private static InetSocketAddress address(String ip, int port) {
    int zone = ip.indexOf('%');
    byte[] bytes =
        NetUtil.createByteArrayFromIpAddressString(zone < 0 ? ip : ip.substring(0, zone));
    if (bytes == null) {
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    } catch (UnknownHostException e) {
      return null; // cannot happen for 4 or 16 bytes
    }
  }

  private static int atoi(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0; // as Go's strconv.Atoi with its error ignored
    }
  }

  /**
   * The absolute names to try for {@code name}, in order: an absolute name (ending in a dot) as it
   * is; otherwise the name itself first when it has more labels than {@code ndots}, then the name
   * with each search suffix, and the name itself last when it has not.
   */
  List<String> nameList(String name) {
    if (name.endsWith(".")) {
      return List.of(name);
    }
    boolean enoughDots = labels(name) > ndots;
    String fqdn = name + ".";
    List<String> out = new ArrayList<>();
    if (enoughDots) {
      out.add(fqdn);
    }
    for (String s : search) {
      out.add(s.endsWith(".") ? fqdn + s : fqdn + s + ".");
    }
    if (!enoughDots) {
      out.add(fqdn);
    }
    return List.copyOf(out);
  }

  private static int labels(String name) {
    int n = 0;
    for (String l : name.split("\\.")) {
      if (!l.isEmpty()) {
        n++;
      }
    }
    return n;
  }
}
