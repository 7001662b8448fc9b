package org.akkaredis.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of INFO (every section) and of CLUSTER INFO as Prometheus metrics, named as oliver006/redis_exporter
 * names them, so that dashboards made for it work against a node. A plain function of the two texts: the node's
 * figures are exactly the ones INFO shows at the same moment. Counters are named without their {@code _total},
 * which the text format adds.
 */
public final class InfoMetrics {
  private InfoMetrics() {}

  /** INFO field to redis_exporter's gauge name (without the {@code redis_} prefix). */
  private static final Map<String, String> GAUGES = names(
      "uptime_in_seconds", "uptime_in_seconds",
      "process_id", "process_id",
      "connected_clients", "connected_clients",
      "blocked_clients", "blocked_clients",
      "tracking_clients", "tracking_clients",
      "maxclients", "config_maxclients",
      "client_recent_max_output_buffer", "client_recent_max_output_buffer_bytes",
      "client_recent_max_input_buffer", "client_recent_max_input_buffer_bytes",
      "allocator_active", "allocator_active_bytes",
      "allocator_allocated", "allocator_allocated_bytes",
      "allocator_resident", "allocator_resident_bytes",
      "allocator_frag_ratio", "allocator_frag_ratio",
      "allocator_frag_bytes", "allocator_frag_bytes",
      "allocator_rss_ratio", "allocator_rss_ratio",
      "allocator_rss_bytes", "allocator_rss_bytes",
      "used_memory", "memory_used_bytes",
      "used_memory_rss", "memory_used_rss_bytes",
      "used_memory_peak", "memory_used_peak_bytes",
      "used_memory_lua", "memory_used_lua_bytes",
      "used_memory_overhead", "memory_used_overhead_bytes",
      "used_memory_startup", "memory_used_startup_bytes",
      "used_memory_dataset", "memory_used_dataset_bytes",
      "used_memory_scripts", "memory_used_scripts_bytes",
      "maxmemory", "memory_max_bytes",
      "total_system_memory", "total_system_memory_bytes",
      "mem_fragmentation_ratio", "mem_fragmentation_ratio",
      "mem_fragmentation_bytes", "mem_fragmentation_bytes",
      "mem_clients_slaves", "mem_clients_slaves",
      "mem_clients_normal", "mem_clients_normal",
      "mem_not_counted_for_evict", "mem_not_counted_for_eviction_bytes",
      "lazyfree_pending_objects", "lazyfree_pending_objects",
      "active_defrag_running", "active_defrag_running",
      "loading", "loading_dump_file",
      "rdb_changes_since_last_save", "rdb_changes_since_last_save",
      "rdb_bgsave_in_progress", "rdb_bgsave_in_progress",
      "rdb_last_save_time", "rdb_last_save_timestamp_seconds",
      "rdb_last_bgsave_status", "rdb_last_bgsave_status",
      "rdb_last_bgsave_time_sec", "rdb_last_bgsave_duration_sec",
      "rdb_current_bgsave_time_sec", "rdb_current_bgsave_duration_sec",
      "rdb_last_cow_size", "rdb_last_cow_size_bytes",
      "aof_enabled", "aof_enabled",
      "aof_rewrite_in_progress", "aof_rewrite_in_progress",
      "aof_rewrite_scheduled", "aof_rewrite_scheduled",
      "aof_last_rewrite_time_sec", "aof_last_rewrite_duration_sec",
      "aof_current_rewrite_time_sec", "aof_current_rewrite_duration_sec",
      "aof_last_cow_size", "aof_last_cow_size_bytes",
      "aof_current_size", "aof_current_size_bytes",
      "aof_base_size", "aof_base_size_bytes",
      "aof_pending_rewrite", "aof_pending_rewrite",
      "aof_buffer_length", "aof_buffer_length",
      "aof_pending_bio_fsync", "aof_pending_bio_fsync",
      "aof_delayed_fsync", "aof_delayed_fsync",
      "aof_last_bgrewrite_status", "aof_last_bgrewrite_status",
      "aof_last_write_status", "aof_last_write_status",
      "pubsub_channels", "pubsub_channels",
      "pubsub_patterns", "pubsub_patterns",
      "pubsubshard_channels", "pubsubshard_channels",
      "latest_fork_usec", "latest_fork_usec",
      "instantaneous_ops_per_sec", "instantaneous_ops_per_sec",
      "instantaneous_input_kbps", "instantaneous_input_kbps",
      "instantaneous_output_kbps", "instantaneous_output_kbps",
      "connected_slaves", "connected_slaves",
      "repl_backlog_size", "replication_backlog_bytes",
      "repl_backlog_active", "repl_backlog_is_active",
      "repl_backlog_first_byte_offset", "repl_backlog_first_byte_offset",
      "repl_backlog_histlen", "repl_backlog_history_bytes",
      "master_repl_offset", "master_repl_offset",
      "second_repl_offset", "second_repl_offset",
      "slave_expires_tracked_keys", "slave_expires_tracked_keys",
      "sync_full", "replica_resyncs_full",
      "sync_partial_ok", "replica_partial_resync_accepted",
      "sync_partial_err", "replica_partial_resync_denied",
      "cluster_enabled", "cluster_enabled");

  /** INFO field to redis_exporter's counter name (without {@code redis_} and {@code _total}). */
  private static final Map<String, String> COUNTERS = names(
      "total_connections_received", "connections_received",
      "total_commands_processed", "commands_processed",
      "rejected_connections", "rejected_connections",
      "total_net_input_bytes", "net_input_bytes",
      "total_net_output_bytes", "net_output_bytes",
      "total_net_repl_input_bytes", "net_repl_input_bytes",
      "total_net_repl_output_bytes", "net_repl_output_bytes",
      "expired_keys", "expired_keys",
      "evicted_keys", "evicted_keys",
      "keyspace_hits", "keyspace_hits",
      "keyspace_misses", "keyspace_misses",
      "total_error_replies", "total_error_replies",
      "migrate_cached_sockets", "migrate_cached_sockets",
      "used_cpu_sys", "cpu_sys_seconds",
      "used_cpu_user", "cpu_user_seconds",
      "used_cpu_sys_children", "cpu_sys_children_seconds",
      "used_cpu_user_children", "cpu_user_children_seconds");

  /** CLUSTER INFO fields that are counts: redis_exporter keeps their name under {@code redis_}. */
  private static final List<String> CLUSTER_GAUGES = List.of("cluster_slots_assigned", "cluster_slots_ok",
      "cluster_slots_pfail", "cluster_slots_fail", "cluster_known_nodes", "cluster_size", "cluster_current_epoch",
      "cluster_my_epoch");

  /** redis_up 0 and nothing else: the node did not answer INFO in time. */
  public static MetricSnapshots down() {
    Families families = new Families();
    families.gauge("up", "Whether the node answered INFO for this scrape", Labels.EMPTY, 0);
    return families.snapshots();
  }

  /** The metrics of one INFO everything text and one CLUSTER INFO text (null without cluster mode). */
  public static MetricSnapshots of(String info, String clusterInfo) {
    Map<String, String> fields = fields(info);
    Families families = new Families();
    families.gauge("up", "Whether the node answered INFO for this scrape", Labels.EMPTY, 1);
    families.gauge("instance_info", "Information about the Redis instance", Labels.of(
        "redis_version", fields.getOrDefault("redis_version", ""),
        "redis_mode", fields.getOrDefault("redis_mode", ""),
        "role", fields.getOrDefault("role", ""),
        "run_id", fields.getOrDefault("run_id", ""),
        "tcp_port", fields.getOrDefault("tcp_port", ""),
        "maxmemory_policy", fields.getOrDefault("maxmemory_policy", "")), 1);
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String name = field.getKey();
      String value = field.getValue();
      if (GAUGES.containsKey(name)) {
        families.gauge(GAUGES.get(name), "INFO " + name, Labels.EMPTY, number(value));
      } else if (COUNTERS.containsKey(name)) {
        families.counter(COUNTERS.get(name), "INFO " + name, Labels.EMPTY, number(value));
      } else if (name.startsWith("cmdstat_")) {
        commandStats(families, name.substring("cmdstat_".length()), value);
      } else if (name.startsWith("errorstat_")) {
        families.counter("errors", "Total number of errors per error type",
            Labels.of("err", name.substring("errorstat_".length())), number(subfield(value, "count")));
      } else if (name.matches("db\\d+") && value.contains("keys=")) {
        Labels db = Labels.of("db", name);
        families.gauge("db_keys", "Total number of keys by DB", db, number(subfield(value, "keys")));
        families.gauge("db_keys_expiring", "Total number of expiring keys by DB", db,
            number(subfield(value, "expires")));
        families.gauge("db_avg_ttl_seconds", "Avg TTL in seconds", db, number(subfield(value, "avg_ttl")) / 1000);
      } else if (name.matches("slave\\d+") && value.contains("offset=")) {
        replica(families, value, number(fields.getOrDefault("master_repl_offset", "0")));
      } else if (name.equals("master_link_status")) {
        families.gauge("master_link_up", "Master link status on Redis slave", masterLabels(fields),
            value.equals("up") ? 1 : 0);
      } else if (name.equals("master_last_io_seconds_ago")) {
        families.gauge("master_last_io_seconds_ago", "Master last io seconds ago", masterLabels(fields),
            number(value));
      } else if (name.equals("master_sync_in_progress")) {
        families.gauge("master_sync_in_progress", "Master sync in progress", masterLabels(fields), number(value));
      }
    }
    if (clusterInfo != null) cluster(families, fields(clusterInfo));
    return families.snapshots();
  }

  private static void commandStats(Families families, String command, String value) {
    Labels cmd = Labels.of("cmd", command);
    families.counter("commands", "Total number of calls per command", cmd, number(subfield(value, "calls")));
    families.counter("commands_duration_seconds", "Total amount of time in seconds spent per command", cmd,
        number(subfield(value, "usec")) / 1e6);
    families.counter("commands_rejected_calls", "Total number of errors prior command execution per command", cmd,
        number(subfield(value, "rejected_calls")));
    families.counter("commands_failed_calls", "Total number of errors within command execution per command", cmd,
        number(subfield(value, "failed_calls")));
  }

  /** One replica line of a master: its offset, its lag in seconds (redis_exporter's), and in bytes (ours). */
  private static void replica(Families families, String value, double masterOffset) {
    Labels labels = Labels.of("slave_ip", subfield(value, "ip"), "slave_port", subfield(value, "port"),
        "slave_state", subfield(value, "state"));
    double offset = number(subfield(value, "offset"));
    families.gauge("connected_slave_offset_bytes", "Offset of connected slave", labels, offset);
    families.gauge("connected_slave_lag_seconds", "Lag of connected slave", labels, number(subfield(value, "lag")));
    families.gauge("connected_slave_lag_bytes",
        "Bytes of the replication stream the replica has not acknowledged (master_repl_offset - offset)", labels,
        Math.max(0, masterOffset - offset));
  }

  private static Labels masterLabels(Map<String, String> fields) {
    return Labels.of("master_host", fields.getOrDefault("master_host", ""),
        "master_port", fields.getOrDefault("master_port", ""));
  }

  /** CLUSTER INFO: redis_exporter's names, and the bus's messages by type (ours). */
  private static void cluster(Families families, Map<String, String> fields) {
    families.gauge("cluster_state", "CLUSTER INFO cluster_state (ok: 1)", Labels.EMPTY,
        "ok".equals(fields.get("cluster_state")) ? 1 : 0);
    for (String name : CLUSTER_GAUGES) {
      if (fields.containsKey(name)) families.gauge(name, "CLUSTER INFO " + name, Labels.EMPTY, number(fields.get(name)));
    }
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String name = field.getKey();
      if (name.equals("cluster_stats_messages_sent")) {
        families.counter("cluster_messages_sent", "CLUSTER INFO " + name, Labels.EMPTY, number(field.getValue()));
      } else if (name.equals("cluster_stats_messages_received")) {
        families.counter("cluster_messages_received", "CLUSTER INFO " + name, Labels.EMPTY, number(field.getValue()));
      } else if (name.startsWith("cluster_stats_messages_")) {
        String typeAndWay = name.substring("cluster_stats_messages_".length());
        int cut = typeAndWay.lastIndexOf('_');
        String way = typeAndWay.substring(cut + 1);
        families.counter("cluster_bus_messages_" + way, "Cluster bus messages " + way + " by type",
            Labels.of("type", typeAndWay.substring(0, cut)), number(field.getValue()));
      }
    }
  }

  /** INFO's "name:value" lines (section headers and blank lines skipped). */
  static Map<String, String> fields(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.isEmpty() || line.startsWith("#") || colon < 0) continue;
      fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return fields;
  }

  /** {@code name=value} out of a comma-separated INFO value ({@code keys=1,expires=0,...}); "" when absent. */
  static String subfield(String value, String name) {
    for (String part : value.split(",")) {
      if (part.startsWith(name + "=")) return part.substring(name.length() + 1);
    }
    return "";
  }

  /** An INFO value as a number: ok/up as 1, err and anything else unreadable as 0 (as redis_exporter). */
  static double number(String value) {
    if (value.equals("ok") || value.equals("up")) return 1;
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> names(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
    return Map.copyOf(map);
  }

  /** Data points gathered by metric name, each name once, in the order first seen. */
  private static final class Families {
    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
    private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();

    void gauge(String name, String help, Labels labels, double value) {
      gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name("redis_" + n).help(help))
          .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
    }

    void counter(String name, String help, Labels labels, double value) {
      counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name("redis_" + n).help(help))
          .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
    }

    MetricSnapshots snapshots() {
      List<MetricSnapshot> all = new ArrayList<>();
      gauges.values().forEach(b -> all.add(b.build()));
      counters.values().forEach(b -> all.add(b.build()));
      return new MetricSnapshots(all);
    }
  }
}
