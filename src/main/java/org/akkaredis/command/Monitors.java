package org.akkaredis.command;

import akka.util.ByteString;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.resp.Reply;
import org.akkaredis.text.SdsText;

/**
 * The clients in MONITOR mode, and Redis's replicationFeedMonitors: after a command ran, each of them gets the line
 * {@code +<seconds>.<micros> [<db> <addr>] "arg" ...} (arguments quoted as sdscatrepr quotes them, secrets shown as
 * "(redacted)"); commands flagged admin or skip_monitor are not shown. With nobody monitoring, feeding is one volatile
 * read.
 */
public final class Monitors {
  private static final Session[] NONE = new Session[0];

  /** Copied on change: feeding reads it without a lock, from any range's thread. */
  private volatile Session[] monitors = NONE;

  /**
   * MONITOR: the client is a monitor from now on (CLIENT LIST's 'O'; its keyspace commands are refused); false when
   * it already is. Its lines start with {@link #start}, once MONITOR's reply is on its way, so none comes before it.
   */
  public synchronized boolean enter(Session session) {
    if (session.monitoring != null) return false;
    session.monitoring = this;
    return true;
  }

  /** The monitor's lines start (nothing when it has left since, or gets them already). */
  public synchronized void start(Session session) {
    if (session.monitoring != this || Arrays.asList(monitors).contains(session)) return;
    Session[] now = Arrays.copyOf(monitors, monitors.length + 1);
    now[now.length - 1] = session;
    monitors = now;
  }

  /** RESET, or the connection closed: the client gets no more lines. */
  public synchronized void remove(Session session) {
    if (session.monitoring != this) return;
    session.monitoring = null;
    monitors = Arrays.stream(monitors).filter(s -> s != session).toArray(Session[]::new);
  }

  public int count() {
    return monitors.length;
  }

  static final Reply DENY_BLOCKING = Reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");

  public static void register(CommandTable.Builder b) {
    b.handle("monitor", (Handler.OfNode) (ctx, session, args) -> CompletableFuture.completedFuture(
        monitor(ctx.clients().monitors(), session, ctx.keyspace() instanceof HeldKeyspace)));
  }

  /**
   * MONITOR as Redis's monitorCommand: refused inside EXEC (a client that expects one reply per command), ignored
   * without a reply by a client that already is a monitor or a replica.
   */
  static Reply monitor(Monitors monitors, Session session, boolean insideExec) {
    if (insideExec) return DENY_BLOCKING;
    if (session.replica || !monitors.enter(session)) return null;
    return Reply.OK;
  }

  /**
   * The command {@code spec} of {@code client} ran in {@code db} (its db after it ran, as Redis prints it). The
   * node's own appliers (the AOF or dump loaded at start or by DEBUG RELOAD / LOADAOF, a replica's master stream)
   * are not shown: Redis runs a loaded AOF's commands without call(), so its monitors never see them.
   */
  public void feed(Session client, int db, CommandSpec spec, byte[][] args) {
    Session[] targets = monitors;
    if (targets.length == 0 || client.replicationApplier || !shown(spec)) return;
    Instant now = Instant.now();
    ByteString line = line(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000, db, client.addr,
        CommandCalls.redacted(spec, args));
    for (Session monitor : targets) {
      PushTarget target = monitor.pushes;
      if (target == null) continue;
      if (monitor == client) target.pushAfterReplies(line);
      else target.push(line);
    }
  }

  /** Redis leaves out commands flagged admin (CONFIG, DEBUG, CLIENT LIST, MONITOR ...) or skip_monitor. */
  static boolean shown(CommandSpec spec) {
    return !spec.hasFlag("admin") && !spec.hasFlag("skip_monitor");
  }

  /** One MONITOR line: the time in microseconds since the epoch, the db, the client's address, the arguments. */
  static ByteString line(long unixMicros, int db, String addr, byte[][] args) {
    StringBuilder text = new StringBuilder(64);
    text.append('+').append(unixMicros / 1_000_000L).append('.');
    String micros = Long.toString(unixMicros % 1_000_000L);
    text.append("000000", micros.length(), 6).append(micros);
    text.append(" [").append(db).append(' ').append(addr).append("] ");
    for (int j = 0; j < args.length; j++) {
      if (j > 0) text.append(' ');
      SdsText.appendQuoted(text, args[j]);
    }
    text.append("\r\n");
    return ByteString.fromString(text.toString(), java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
