package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A shard's poll waits until its deadline on the queue's clock, not on the wall. */
class ChunkQueueTest {
  @Test
  void pollWaitsOnTheQueuesClock() throws Exception {
    ManualQueueTime time = new ManualQueueTime(1_000);
    ChunkQueue q = new ChunkQueue(10, time);
    long start = System.nanoTime();

    assertNull(q.poll(TimeUnit.SECONDS.toNanos(5)), "nothing queued: the deadline passes");
    assertEquals(6_000, time.millis(), "the 5 s were spent on the queue's clock");

    Chunk c = new Chunk(3, null, false);
    assertEquals(true, q.offer(c, 0, TimeUnit.MILLISECONDS));
    assertSame(c, q.poll(TimeUnit.SECONDS.toNanos(5)));
    assertEquals(6_000, time.millis(), "a queued chunk is taken without waiting");
    assertEquals(0, q.poll(0) == null ? 0 : 1);
    assertEquals(true, System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "no real 5 s wait");
  }
}
