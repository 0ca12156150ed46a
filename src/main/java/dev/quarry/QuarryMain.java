package dev.quarry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * The entry point: runs Quarry until it is asked to stop ({@code SIGTERM}, {@code SIGINT} or {@code
 * POST /-/quit}) and then exits with status 0 after a clean stop, as Prometheus does.
 *
 * <p>The JVM's own handler ends a process stopped by {@code SIGTERM} with 143 (128 + 15) whatever
 * the shutdown hooks do, so Quarry handles {@code TERM} and {@code INT} itself and turns them into
 * an ordinary Quarkus exit with code 0. A start-up failure (an invalid config) still exits with 1.
 * Where signals cannot be handled (a JVM run with {@code -Xrs}) the JVM's behaviour stays.
 */
@QuarkusMain
public class QuarryMain implements QuarkusApplication {
  private static final Logger LOG = Logger.getLogger(QuarryMain.class);

  public static void main(String... args) {
    Quarkus.run(QuarryMain.class, args);
  }

  @Override
  public int run(String... args) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            s -> {
              LOG.infof("received SIG%s, stopping", s.getName());
              Quarkus.asyncExit(0);
            });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.debugf("SIG%s is left to the JVM: %s", name, e.getMessage());
      }
    }
    Quarkus.waitForExit();
    return 0;
  }
}
