package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SeriesByLabelsTest {
  private static HeadSeries series(int i) {
    return new HeadSeries(i + 1, Labels.of("__name__", "m", "i", Integer.toString(i)));
  }

  @Test
  void findsAddsAndRemovesAcrossResizes() {
    SeriesByLabels m = new SeriesByLabels();
    HeadSeries[] all = new HeadSeries[50_000];
    for (int i = 0; i < all.length; i++) {
      all[i] = series(i);
      assertNull(m.putIfAbsent(all[i]));
    }
    assertEquals(all.length, m.size());
    assertSame(all[7], m.putIfAbsent(series(7)), "an equal label set is already present");
    for (int i = 0; i < all.length; i++) {
      assertSame(all[i], m.get(Labels.of("__name__", "m", "i", Integer.toString(i))));
    }
    for (int i = 0; i < all.length; i += 2) {
      assertTrue(m.remove(all[i]));
    }
    assertFalse(m.remove(all[0]), "already removed");
    assertFalse(m.remove(series(1)), "another object with equal labels is not removed");
    assertEquals(all.length / 2, m.size());
    assertEquals(all.length / 2, m.values().size());
    for (int i = 0; i < all.length; i++) {
      assertEquals(i % 2 == 0 ? null : all[i], m.get(all[i].labels));
    }
    for (int i = 1; i < all.length; i += 2) {
      m.remove(all[i]);
    }
    assertEquals(0, m.size());
    assertNull(m.putIfAbsent(all[3]));
    assertSame(all[3], m.get(all[3].labels));
  }

  @Test
  void lookupsWithoutTheLockNeverMissASeriesThatStaysWhileOthersComeAndGo() throws Exception {
    SeriesByLabels m = new SeriesByLabels();
    HeadSeries[] stay = new HeadSeries[2000];
    for (int i = 0; i < stay.length; i++) {
      stay[i] = series(i);
      m.putIfAbsent(stay[i]);
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                for (HeadSeries s : stay) {
                  if (m.get(s.labels) != s) {
                    failure.set("missed " + s.labels);
                    return;
                  }
                }
              }
            });
    reader.start();
    // Churn: many series added and removed, forcing growth, tombstones and shrinking.
    for (int round = 0; round < 20; round++) {
      HeadSeries[] churn = new HeadSeries[20_000];
      for (int i = 0; i < churn.length; i++) {
        churn[i] = series(100_000 + round * churn.length + i);
        m.putIfAbsent(churn[i]);
      }
      for (HeadSeries s : churn) {
        m.remove(s);
      }
    }
    stop.set(true);
    reader.join();
    assertNull(failure.get(), failure.get());
    assertEquals(stay.length, m.size());
  }
}
