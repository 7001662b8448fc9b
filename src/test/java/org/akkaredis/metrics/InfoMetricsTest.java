package org.akkaredis.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** INFO's text to redis_exporter's metrics, field by field. */
class InfoMetricsTest {
  private static final String INFO = String.join("\r\n",
      "# Server", "redis_version:7.0.15", "redis_mode:cluster", "run_id:abc", "tcp_port:7001",
      "uptime_in_seconds:42", "", "# Clients", "connected_clients:3", "blocked_clients:1", "",
      "# Memory", "used_memory:1000", "maxmemory:0", "maxmemory_policy:noeviction", "",
      "# Persistence", "aof_enabled:1", "aof_last_write_status:ok", "rdb_last_bgsave_status:err", "",
      "# Stats", "total_commands_processed:17", "keyspace_hits:5", "instantaneous_ops_per_sec:9",
      "", "# Replication", "role:master", "connected_slaves:2",
      "slave0:ip=127.0.0.1,port=7004,state=online,offset=900,lag=0",
      "slave1:ip=127.0.0.1,port=7005,state=wait_bgsave,offset=0,lag=3",
      "master_repl_offset:1000", "", "# Commandstats",
      "cmdstat_set:calls=4,usec=2000000,usec_per_call=500000.00,rejected_calls=1,failed_calls=2", "",
      "# Errorstats", "errorstat_WRONGTYPE:count=2", "", "# Cluster", "cluster_enabled:1", "",
      "# Keyspace", "db0:keys=7,expires=2,avg_ttl=5000", "");
  private static final String CLUSTER_INFO = String.join("\r\n", "cluster_state:ok",
      "cluster_slots_assigned:16384", "cluster_slots_ok:16384", "cluster_slots_pfail:0", "cluster_slots_fail:0",
      "cluster_known_nodes:6", "cluster_size:3", "cluster_current_epoch:6", "cluster_my_epoch:1",
      "cluster_stats_messages_ping_sent:10", "cluster_stats_messages_pong_sent:8", "cluster_stats_messages_sent:18",
      "cluster_stats_messages_ping_received:8", "cluster_stats_messages_received:8",
      "total_cluster_links_buffer_limit_exceeded:0", "");

  private static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void infoFieldsBecomeRedisExportersMetrics() throws IOException {
    String text = text(InfoMetrics.of(INFO, CLUSTER_INFO));
    for (String line : new String[] {
        "redis_up 1.0", "redis_uptime_in_seconds 42.0", "redis_connected_clients 3.0", "redis_blocked_clients 1.0",
        "redis_memory_used_bytes 1000.0", "redis_memory_max_bytes 0.0", "redis_aof_enabled 1.0",
        "redis_aof_last_write_status 1.0", "redis_rdb_last_bgsave_status 0.0",
        "redis_commands_processed_total 17.0", "redis_keyspace_hits_total 5.0",
        "redis_instantaneous_ops_per_sec 9.0", "redis_connected_slaves 2.0", "redis_master_repl_offset 1000.0",
        "redis_commands_total{cmd=\"set\"} 4.0", "redis_commands_duration_seconds_total{cmd=\"set\"} 2.0",
        "redis_commands_rejected_calls_total{cmd=\"set\"} 1.0", "redis_commands_failed_calls_total{cmd=\"set\"} 2.0",
        "redis_errors_total{err=\"WRONGTYPE\"} 2.0", "redis_cluster_enabled 1.0",
        "redis_db_keys{db=\"db0\"} 7.0", "redis_db_keys_expiring{db=\"db0\"} 2.0",
        "redis_db_avg_ttl_seconds{db=\"db0\"} 5.0",
        "redis_connected_slave_offset_bytes{slave_ip=\"127.0.0.1\",slave_port=\"7004\",slave_state=\"online\"} 900.0",
        "redis_connected_slave_lag_bytes{slave_ip=\"127.0.0.1\",slave_port=\"7004\",slave_state=\"online\"} 100.0",
        "redis_connected_slave_lag_seconds{slave_ip=\"127.0.0.1\",slave_port=\"7005\",slave_state=\"wait_bgsave\"} 3.0",
        "redis_cluster_state 1.0", "redis_cluster_slots_assigned 16384.0", "redis_cluster_slots_ok 16384.0",
        "redis_cluster_slots_pfail 0.0", "redis_cluster_slots_fail 0.0", "redis_cluster_known_nodes 6.0",
        "redis_cluster_size 3.0", "redis_cluster_messages_sent_total 18.0",
        "redis_cluster_messages_received_total 8.0", "redis_cluster_bus_messages_sent_total{type=\"ping\"} 10.0",
        "redis_cluster_bus_messages_sent_total{type=\"pong\"} 8.0",
        "redis_cluster_bus_messages_received_total{type=\"ping\"} 8.0"}) {
      assertTrue(text.contains("\n" + line + "\n"), () -> line + " in\n" + text);
    }
    assertTrue(text.contains("redis_instance_info{maxmemory_policy=\"noeviction\",redis_mode=\"cluster\","
        + "redis_version=\"7.0.15\",role=\"master\",run_id=\"abc\",tcp_port=\"7001\"} 1.0"), text);
  }

  @Test
  void withoutClusterModeThereIsNoClusterInfo() throws IOException {
    String text = text(InfoMetrics.of(INFO, null));
    assertFalse(text.contains("redis_cluster_state"), text);
    assertTrue(text.contains("\nredis_cluster_enabled 1.0\n"), text);
  }

  @Test
  void aNodeThatDidNotAnswerIsDown() throws IOException {
    assertEquals("# HELP redis_up Whether the node answered INFO for this scrape\n# TYPE redis_up gauge\n"
        + "redis_up 0.0\n", text(InfoMetrics.down()));
  }

  @Test
  void aReplicaShowsItsMastersLink() throws IOException {
    String replica = "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:7001\r\n"
        + "master_link_status:up\r\nmaster_last_io_seconds_ago:1\r\nmaster_sync_in_progress:0\r\n";
    String text = text(InfoMetrics.of(replica, null));
    assertTrue(text.contains("\nredis_master_link_up{master_host=\"10.0.0.1\",master_port=\"7001\"} 1.0\n"), text);
    assertTrue(text.contains("\nredis_master_last_io_seconds_ago{master_host=\"10.0.0.1\",master_port=\"7001\"} 1.0\n"),
        text);
  }
}
