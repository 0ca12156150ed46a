package dev.quarry.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small authoritative DNS server over UDP on 127.0.0.1, for tests: answers A, AAAA, SRV, MX, NS
 * and CNAME questions from a table the test changes while it runs, NXDOMAIN for names it does not
 * know, a chosen response code (SERVFAIL, REFUSED), a malformed reply or no answer at all for names
 * set so. Every question is recorded as {@code "<name> <TYPE>"}. The table and the log are safe to
 * use from any thread; one daemon thread answers.
 */
public final class TestDnsServer implements AutoCloseable {
  /** One resource record: its type and its RDATA bytes. */
  public record Rr(String type, byte[] rdata) {}

  private sealed interface Behaviour permits Records, Rcode, Silent, Garbage {}

  private record Records(List<Rr> records) implements Behaviour {}

  private record Rcode(int code) implements Behaviour {}

  private record Silent() implements Behaviour {}

  private record Garbage() implements Behaviour {}

  public static final int SERVFAIL = 2;
  public static final int REFUSED = 5;
  private static final Map<String, Integer> TYPES =
      Map.of("A", 1, "NS", 2, "CNAME", 5, "MX", 15, "AAAA", 28, "SRV", 33);

  private final DatagramSocket socket;
  private final Map<String, Behaviour> table = new ConcurrentHashMap<>();
  private final List<String> questions = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private TestDnsServer(DatagramSocket socket) {
    this.socket = socket;
    this.thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a server on a free UDP port of 127.0.0.1. */
  public static TestDnsServer start() {
    try {
      return new TestDnsServer(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code 127.0.0.1:<port>}, as {@code quarry.discovery.dns.server} takes it. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Answers {@code type} questions for {@code name} (absolute, with the final dot) with these. */
  public TestDnsServer answer(String name, String type, Rr... records) {
    table.put(key(name, type), new Records(List.of(records)));
    return this;
  }

  /** Answers {@code type} questions for {@code name} with an empty answer and this code. */
  public TestDnsServer rcode(String name, String type, int code) {
    table.put(key(name, type), new Rcode(code));
    return this;
  }

  /** Never answers {@code type} questions for {@code name}. */
  public TestDnsServer silent(String name, String type) {
    table.put(key(name, type), new Silent());
    return this;
  }

  /**
   * Answers {@code type} questions for {@code name} with a reply that has the query's id but is cut
   * off inside the question.
   */
  public TestDnsServer garbage(String name, String type) {
    table.put(key(name, type), new Garbage());
    return this;
  }

  /** Forgets {@code name}: its questions get NXDOMAIN. */
  public TestDnsServer remove(String name, String type) {
    table.remove(key(name, type));
    return this;
  }

  /** The questions received so far, as {@code "<name> <TYPE>"}. */
  public List<String> questions() {
    return List.copyOf(questions);
  }

  public static Rr a(String ip) {
    return new Rr("A", ip(ip));
  }

  public static Rr aaaa(String ip) {
    return new Rr("AAAA", ip(ip));
  }

  public static Rr cname(String host) {
    return new Rr("CNAME", name(host));
  }

  public static Rr ns(String host) {
    return new Rr("NS", name(host));
  }

  public static Rr mx(int preference, String host) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    u16(b, preference);
    b.writeBytes(name(host));
    return new Rr("MX", b.toByteArray());
  }

  public static Rr srv(int priority, int weight, int port, String target) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    u16(b, priority);
    u16(b, weight);
    u16(b, port);
    b.writeBytes(name(target));
    return new Rr("SRV", b.toByteArray());
  }

  private static byte[] ip(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  /** A domain name in wire form, uncompressed. */
  private static byte[] name(String host) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String label : host.split("\\.")) {
      if (!label.isEmpty()) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        b.write(l.length);
        b.writeBytes(l);
      }
    }
    b.write(0);
    return b.toByteArray();
  }

  private static void u16(ByteArrayOutputStream b, int v) {
    b.write(v >>> 8);
    b.write(v & 0xff);
  }

  private static String key(String name, String type) {
    return name.toLowerCase(Locale.ROOT) + " " + type;
  }

  private void serve() {
    byte[] buf = new byte[1500];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        byte[] reply = reply(buf, p.getLength());
        if (reply != null) {
          socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        }
      } catch (IOException | RuntimeException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  /** The response to one query, or null to stay silent. */
  private byte[] reply(byte[] q, int len) {
    // Header (12 bytes), then one question: labels, type, class.
    int pos = 12;
    StringBuilder name = new StringBuilder();
    while (q[pos] != 0) {
      int l = q[pos] & 0xff;
      name.append(new String(q, pos + 1, l, StandardCharsets.US_ASCII)).append('.');
      pos += l + 1;
    }
    pos++;
    int qtype = ((q[pos] & 0xff) << 8) | (q[pos + 1] & 0xff);
    int questionEnd = pos + 4;
    String type =
        TYPES.entrySet().stream()
            .filter(e -> e.getValue() == qtype)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse("TYPE" + qtype);
    String asked = name.length() == 0 ? "." : name.toString();
    questions.add(asked + " " + type);
    Behaviour b = table.get(key(asked, type));
    if (b instanceof Silent) {
      return null;
    }
    List<Rr> answers = b instanceof Records r ? r.records() : List.of();
    int rcode = b == null ? 3 : b instanceof Rcode c ? c.code() : 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q[0]);
    out.write(q[1]); // the query's id
    out.write(0x84 | (q[2] & 0x01)); // QR, AA, RD as asked
    out.write(0x80 | rcode); // RA and the response code
    u16(out, 1);
    u16(out, answers.size());
    u16(out, 0);
    u16(out, 0);
    if (b instanceof Garbage) {
      out.write(q, 12, 3); // the question cut off inside its first label
      return out.toByteArray();
    }
    out.write(q, 12, questionEnd - 12);
    for (Rr rr : answers) {
      u16(out, 0xc00c); // owner: a pointer to the question's name
      u16(out, TYPES.get(rr.type()));
      u16(out, 1); // IN
      u16(out, 0);
      u16(out, 60); // TTL
      u16(out, rr.rdata().length);
      out.writeBytes(rr.rdata());
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
