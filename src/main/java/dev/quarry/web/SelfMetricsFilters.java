package dev.quarry.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Makes Quarry's own metrics pass {@code promtool check metrics}: every family gets a HELP text
 * (the Netty allocator gauges come without one), {@code system.cpu.count} becomes {@code
 * system_cpus_available} (no {@code _count} suffix outside histograms and summaries), and the JVM's
 * CPU time in nanoseconds ({@code process_cpu_time_ns_total}, an abbreviated unit) is replaced by
 * {@code process_cpu_seconds_total}, the name Go's process collector uses. Stateless.
 */
@ApplicationScoped
public class SelfMetricsFilters {
  private static final Map<String, String> HELP =
      Map.of(
          "netty.allocator.memory.pinned", "Bytes of Netty allocator memory pinned by buffers.",
          "netty.allocator.memory.used", "Bytes of memory the Netty allocator holds.",
          "netty.allocator.pooled.arenas", "Arenas of the Netty pooled allocator.",
          "netty.allocator.pooled.cache.size", "Size of the Netty pooled allocator's caches.",
          "netty.allocator.pooled.chunk.size", "Chunk size of the Netty pooled allocator in bytes.",
          "netty.allocator.pooled.threadlocal.caches",
              "Thread-local caches of the Netty pooled allocator.",
          "netty.eventexecutor.tasks.pending", "Tasks waiting in a Netty event executor's queue.");

  @Produces
  @Singleton
  MeterFilter lintClean() {
    return new MeterFilter() {
      @Override
      public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals("process.cpu.time")
            ? MeterFilterReply.DENY
            : MeterFilterReply.NEUTRAL;
      }

      @Override
      public Meter.Id map(Meter.Id id) {
        String name =
            id.getName().equals("system.cpu.count") ? "system.cpus.available" : id.getName();
        String help = id.getDescription();
        if (help == null || help.isBlank()) {
          help = HELP.getOrDefault(name, "Micrometer meter " + name + ".");
        }
        if (name.equals(id.getName()) && help.equals(id.getDescription())) {
          return id;
        }
        return new Meter.Id(name, Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
      }
    };
  }

  void registerCpuSeconds(@Observes StartupEvent ev, MeterRegistry registry) {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time the process has used, user and system, in seconds.")
          .register(registry);
    }
  }
}
