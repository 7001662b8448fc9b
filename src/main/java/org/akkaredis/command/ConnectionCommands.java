package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.config.DefaultUser;
import org.akkaredis.config.ServerVersion;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.MemoryUsage;
import org.akkaredis.pubsub.Subscriber;
import org.akkaredis.resp.Reply;

/**
 * The connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET, the cluster client flags READONLY,
 * READWRITE and ASKING, and the CLIENT container. Commands that touch only the connection (and read the
 * settings) run in it ({@link Handler.OfSession}), in order within a pipelined read; those that see other
 * clients (CLIENT LIST, KILL) are node commands.
 */
public final class ConnectionCommands {
  private ConnectionCommands() {}

  static final Reply NAME_CHARSET_ERROR =
      Reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
  static final Reply WRONGPASS = Reply.error(DefaultUser.WRONGPASS);
  static final Reply AUTH_WITHOUT_PASSWORD = Reply.error(DefaultUser.AUTH_WITHOUT_PASSWORD);
  static final Reply HELLO_NOAUTH = Reply.error("NOAUTH HELLO must be called with the client already "
      + "authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
      + "select the RESP protocol version at the same time");
  static final Reply NOPROTO = Reply.error("NOPROTO unsupported protocol version");
  static final Reply CLUSTER_DISABLED = Reply.error("ERR This instance has cluster support disabled");
  static final Reply INT_RANGE =
      Reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
  static final Reply RESET = Reply.simple("RESET");

  /** The only ACL user: Redis 7.0's "default", whose password is requirepass (none means any password). */
  static final String DEFAULT_USER = DefaultUser.NAME;

  public static void register(CommandTable.Builder b) {
    b.handle("ping", (Handler.OfSession) ConnectionCommands::ping);
    b.handle("echo", (Handler.OfSession) (session, args) -> Reply.bulk(args[1]));
    b.handle("quit", (Handler.OfSession) ConnectionCommands::quit);
    b.handle("select", (Handler.OfSession) (session, args) -> select(session.settings, session, args));
    b.handle("readonly", (Handler.OfSession) (session, args) -> readonly(session.settings, session, true));
    b.handle("readwrite", (Handler.OfSession) (session, args) -> readonly(session.settings, session, false));
    b.handle("asking", (Handler.OfSession) (session, args) -> asking(session.settings, session));
    b.handle("auth", (Handler.OfSession) (session, args) -> auth(session.settings, session, args));
    // A node command for the role it answers (a replica's master link), run in order as the read's barrier.
    b.handle("hello", (Handler.OfNode) (ctx, session, args) ->
        done(hello(session.settings, session, args, ctx.replication().masterLink() != null)));
    b.handle("reset", (Handler.OfSession) (session, args) -> reset(session.settings, session));

    b.handle("client|id", (Handler.OfSession) (session, args) -> Reply.integer(session.id));
    b.handle("client|setname", (Handler.OfSession) ConnectionCommands::clientSetName);
    b.handle("client|getname",
        (Handler.OfSession) (session, args) -> session.name.isEmpty() ? Reply.NULL : Reply.bulk(session.name));
    b.handle("client|list", (Handler.OfNode) (ctx, session, args) -> done(clientList(ctx.clients(), session, args)));
    b.handle("client|info", (Handler.OfSession) (session, args) -> {
      SocketDescriptors.resolve(List.of(session));
      return Reply.verbatim(clientLine(session, session, args, System.currentTimeMillis()) + "\n");
    });
    b.handle("client|kill", (Handler.OfNode) (ctx, session, args) -> {
      Reply reply = clientKill(ctx.clients(), ctx.replication(), session, args);
      // Replicas follow over the bus, not as client sessions: the replication source drops their links.
      return reply instanceof Reply.Error || !killsAllReplicas(args) ? done(reply)
          : ctx.replication().dropReplicas().thenApply(dropped -> Reply.integer(dropped));
    });
    b.handle("client|setinfo", (Handler.OfSession) ConnectionCommands::clientSetInfo);
    b.handle("client|no-evict", (Handler.OfSession) ConnectionCommands::clientNoEvict);
    b.handle("client|reply", (Handler.OfSession) ConnectionCommands::clientReply);
    b.handle("client|pause", (Handler.OfNode) (ctx, session, args) -> done(clientPause(ctx.clients(), args)));
    b.handle("client|unpause", (Handler.OfNode) (ctx, session, args) -> {
      ctx.clients().pause().unpause();
      return done(Reply.OK);
    });
    b.handle("client|help", (Handler.OfSession) (session, args) -> help(CLIENT_HELP));
  }

  /** A client as CLIENT LIST shows it, for log lines about it (Redis's catClientInfoString). */
  public static String clientInfo(Session session) {
    return clientLine(session, null, null, System.currentTimeMillis());
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  // PING, ECHO, QUIT

  static Reply ping(Session session, byte[][] args) {
    if (args.length > 2) return Reply.wrongArity("ping");
    if (session.protocol == 2 && session.subscribed()) {
      // A RESP2 subscriber reads only arrays: Redis answers "pong" and the argument (or nothing) as one.
      return Reply.array(Reply.bulk("pong"), Reply.bulk(args.length == 1 ? new byte[0] : args[1]));
    }
    return args.length == 1 ? Reply.PONG : Reply.bulk(args[1]);
  }

  static Reply quit(Session session, byte[][] args) {
    session.closeRequested = true;
    return Reply.OK;
  }

  // SELECT and the cluster client flags

  static Reply select(Settings settings, Session session, byte[][] args) {
    Long parsed = Args.parseLong(args[1]);
    if (parsed == null) return Reply.NOT_INTEGER;
    if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) return INT_RANGE;
    int index = parsed.intValue();
    if (settings.clusterEnabled() && index != 0) return Reply.error("ERR SELECT is not allowed in cluster mode");
    if (index < 0 || index >= settings.databases()) return Reply.error("ERR DB index is out of range");
    session.db = session.dbBase + index;
    return Reply.OK;
  }

  static Reply readonly(Settings settings, Session session, boolean readonly) {
    if (!settings.clusterEnabled()) return CLUSTER_DISABLED;
    session.readonly = readonly;
    return Reply.OK;
  }

  static Reply asking(Settings settings, Session session) {
    if (!settings.clusterEnabled()) return CLUSTER_DISABLED;
    session.ask();
    return Reply.OK;
  }

  // AUTH, HELLO, RESET

  static Reply auth(Settings settings, Session session, byte[][] args) {
    if (args.length > 3) return Reply.SYNTAX_ERROR;
    byte[] user;
    byte[] password;
    if (args.length == 2) {
      if (settings.requirepass().isEmpty()) return AUTH_WITHOUT_PASSWORD;
      user = DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);
      password = args[1];
    } else {
      user = args[1];
      password = args[2];
    }
    if (!credentialsValid(settings, user, password)) return WRONGPASS;
    session.authenticated = true;
    return Reply.OK;
  }

  /** The default user accepts any password while requirepass is empty, else exactly requirepass. */
  static boolean credentialsValid(Settings settings, byte[] user, byte[] password) {
    return DefaultUser.accepts(settings, user, password);
  }

  /**
   * HELLO [protover [AUTH user pass] [SETNAME name]]. Options act one by one as Redis 7.0 does: a SETNAME
   * before a failing AUTH keeps the name. The reply is written in the new protocol, which the connection
   * reads from the session after the handler ran.
   */
  static Reply hello(Settings settings, Session session, byte[][] args, boolean replica) {
    int protocol = 0;
    int next = 1;
    if (args.length >= 2) {
      Long version = Args.parseLong(args[1]);
      if (version == null) return Reply.error("ERR Protocol version is not an integer or out of range");
      if (version < 2 || version > 3) return NOPROTO;
      protocol = version.intValue();
      next = 2;
    }
    for (int j = next; j < args.length; j++) {
      int moreArgs = args.length - 1 - j;
      if (Args.is(args[j], "AUTH") && moreArgs >= 2) {
        if (!credentialsValid(settings, args[j + 1], args[j + 2])) return WRONGPASS;
        session.authenticated = true;
        j += 2;
      } else if (Args.is(args[j], "SETNAME") && moreArgs >= 1) {
        if (!validClientAttribute(args[j + 1])) return NAME_CHARSET_ERROR;
        session.name = Args.text(args[j + 1]);
        j++;
      } else {
        return Reply.error("ERR Syntax error in HELLO option '" + Args.text(args[j]) + "'");
      }
    }
    if (!session.authenticated) return HELLO_NOAUTH;
    if (protocol != 0) session.protocol = protocol;
    return Reply.map(List.of(
        Reply.bulk("server"), Reply.bulk("redis"),
        Reply.bulk("version"), Reply.bulk(ServerVersion.REDIS_VERSION),
        Reply.bulk("proto"), Reply.integer(session.protocol),
        Reply.bulk("id"), Reply.integer(session.id),
        Reply.bulk("mode"), Reply.bulk(settings.clusterEnabled() ? "cluster" : "standalone"),
        Reply.bulk("role"), Reply.bulk(replica ? "replica" : "master"),
        Reply.bulk("modules"), Reply.EMPTY_ARRAY));
  }

  /** RESET: the connection's state as a new connection has it (no longer a monitor); NO-EVICT stays, as Redis's RESET leaves it. */
  static Reply reset(Settings settings, Session session) {
    Monitors monitors = session.monitoring;
    if (monitors != null) monitors.remove(session);
    session.leavePubSub();
    session.endMulti();
    session.db = 0;
    session.protocol = 2;
    session.name = "";
    session.readonly = false;
    session.asking = false;
    session.replyOff = false;
    session.replySkipNext = false;
    session.authenticated = settings.requirepass().isEmpty();
    return RESET;
  }

  // CLIENT subcommands that touch only this connection

  static Reply clientSetName(Session session, byte[][] args) {
    if (!validClientAttribute(args[2])) return NAME_CHARSET_ERROR;
    session.name = Args.text(args[2]);
    return Reply.OK;
  }

  /** CLIENT SETINFO LIB-NAME|LIB-VER value, as Redis 7.2 added it (clients send it and ignore errors). */
  static Reply clientSetInfo(Session session, byte[][] args) {
    String attribute = Args.text(args[2]);
    boolean libName = Args.is(args[2], "lib-name");
    if (!libName && !Args.is(args[2], "lib-ver")) {
      return Reply.error("ERR Unrecognized option '" + attribute + "'");
    }
    if (!validClientAttribute(args[3])) {
      return Reply.error("ERR " + attribute + " cannot contain spaces, newlines or special characters.");
    }
    if (libName) session.libName = Args.text(args[3]);
    else session.libVer = Args.text(args[3]);
    return Reply.OK;
  }

  static Reply clientNoEvict(Session session, byte[][] args) {
    if (Args.is(args[2], "on")) session.noEvict = true;
    else if (Args.is(args[2], "off")) session.noEvict = false;
    else return Reply.SYNTAX_ERROR;
    return Reply.OK;
  }

  /**
   * CLIENT REPLY ON|OFF|SKIP. The dispatcher decides, before a command runs, whether its reply is written (OFF and
   * SKIP write none, ON answers OK); here only the connection's flags change. SKIP is ignored while replies are off.
   */
  static Reply clientReply(Session session, byte[][] args) {
    if (Args.is(args[2], "on")) {
      session.replyOff = false;
      session.replySkipNext = false;
    } else if (Args.is(args[2], "off")) {
      session.replyOff = true;
    } else if (Args.is(args[2], "skip")) {
      if (!session.replyOff) session.replySkipNext = true;
    } else {
      return Reply.SYNTAX_ERROR;
    }
    return Reply.OK;
  }

  /** CLIENT PAUSE timeout [WRITE|ALL]: the dispatcher holds the commands the pause covers until it ends. */
  static Reply clientPause(ClientDirectory clients, byte[][] args) {
    Long timeout = Args.parseLong(args[2]);
    if (timeout == null) return Reply.error("ERR timeout is not an integer or out of range");
    if (timeout < 0) return Reply.error("ERR timeout is negative");
    ClientPause.Mode mode = ClientPause.Mode.ALL;
    if (args.length == 4) {
      if (Args.is(args[3], "write")) mode = ClientPause.Mode.WRITE;
      else if (!Args.is(args[3], "all")) return Reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    } else if (args.length > 4) {
      return Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
          + "'. Try CLIENT HELP.");
    }
    long now = System.currentTimeMillis();
    clients.pause().pause(timeout > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout, mode, now);
    return Reply.OK;
  }

  /** Redis keeps CLIENT LIST splittable on spaces: names and library info are printable ASCII without space. */
  static boolean validClientAttribute(byte[] value) {
    for (byte b : value) {
      if (b < '!' || b > '~') return false;
    }
    return true;
  }

  // CLIENT LIST / INFO / KILL

  /**
   * The client kinds CLIENT LIST TYPE and CLIENT KILL TYPE accept. A connection is a replica once it sent SYNC
   * (Redis's getClientType: flag S), pubsub while it holds a subscription (flag P), else normal; the master's
   * client is the replica's link, not a connection.
   */
  private enum ClientType { NORMAL, REPLICA, PUBSUB, MASTER }

  private static ClientType typeOf(Session s) {
    if (s.replica && s.monitoring == null) return ClientType.REPLICA;
    return s.subscribed() ? ClientType.PUBSUB : ClientType.NORMAL;
  }

  private static ClientType clientType(byte[] name) {
    if (Args.is(name, "normal")) return ClientType.NORMAL;
    if (Args.is(name, "slave") || Args.is(name, "replica")) return ClientType.REPLICA;
    if (Args.is(name, "pubsub")) return ClientType.PUBSUB;
    if (Args.is(name, "master")) return ClientType.MASTER;
    return null;
  }

  static Reply clientList(ClientDirectory clients, Session caller, byte[][] args) {
    long now = System.currentTimeMillis();
    SocketDescriptors.resolve(sorted(clients));
    StringBuilder out = new StringBuilder();
    if (args.length == 4 && Args.is(args[2], "type")) {
      ClientType type = clientType(args[3]);
      if (type == null) return Reply.error("ERR Unknown client type '" + Args.text(args[3]) + "'");
      for (Session s : sorted(clients)) {
        if (typeOf(s) == type) out.append(clientLine(s, caller, args, now)).append('\n');
      }
    } else if (args.length > 3 && Args.is(args[2], "id")) {
      List<Session> all = sorted(clients);
      for (int j = 3; j < args.length; j++) {
        Long id = Args.parseLong(args[j]);
        if (id == null) return Reply.error("ERR Invalid client ID");
        for (Session s : all) {
          if (s.id == id) out.append(clientLine(s, caller, args, now)).append('\n');
        }
      }
    } else if (args.length != 2) {
      return Reply.SYNTAX_ERROR;
    } else {
      for (Session s : sorted(clients)) out.append(clientLine(s, caller, args, now)).append('\n');
    }
    return Reply.verbatim(out.toString());
  }

  private static List<Session> sorted(ClientDirectory clients) {
    List<Session> sessions = new ArrayList<>(clients.sessions());
    sessions.sort(Comparator.comparingLong(s -> s.id));
    return sessions;
  }

  /**
   * One line of CLIENT LIST in Redis 7.0.15's field order. The buffer and memory figures are Redis-shaped
   * estimates; the argument memory is known only for the client asking (the command it is running).
   */
  static String clientLine(Session s, Session caller, byte[][] callerArgs, long nowMs) {
    // Inside EXEC the command running is EXEC: Redis keeps EXEC's argv-mem while it runs the queued commands.
    byte[][] running = s == caller ? (s.execArgs != null ? s.execArgs : callerArgs) : null;
    long argvMem = 0;
    if (running != null) {
      for (byte[] arg : running) argvMem += arg.length;
    }
    List<byte[][]> queued = s.transaction();
    int qbuf = Math.max(0, s.queryBuffer);
    long qbufFree = Math.max(0, s.queryBufferAllocated - qbuf);
    return "id=" + s.id
        + " addr=" + s.addr
        + " laddr=" + s.laddr
        // The socket's descriptor as Linux's /proc shows it (SocketDescriptors); left out where it is unknown.
        + (s.fd >= 0 ? " fd=" + s.fd : "")
        + " name=" + s.name
        + " age=" + Math.max(0, (nowMs - s.createdAtMs) / 1000)
        + " idle=" + Math.max(0, (nowMs - s.lastInteractionMs) / 1000)
        + " flags=" + s.flags()
        + " db=" + s.db
        + pubsubCounts(s)
        + " multi=" + (queued == null ? -1 : queued.size())
        + " qbuf=" + qbuf
        + " qbuf-free=" + qbufFree
        + " argv-mem=" + argvMem
        + " multi-mem=" + multiMemory(queued)
        + " rbs=" + s.replyBufferSize
        + " rbp=" + s.replyBufferPeak + " obl=" + s.outputBufferLength + " oll=" + s.outputListLength + " omem=" + s.outputMemory
        // As Redis's getClientMemoryUsage: the query buffer, the arguments and a reference to each, MULTI's queue
        // and watched keys, the output's memory.
        + " tot-mem=" + (clientMemory(s) + argvMem
            + (running == null ? 0 : (long) running.length * ARGUMENT_REFERENCE_BYTES))
        + " events=r"
        + " cmd=" + s.lastCommand
        + " user=" + DEFAULT_USER
        + " redir=-1"
        + " resp=" + s.protocol;
  }

  /**
   * Bytes of the commands queued since MULTI, counted as Redis's multi-mem (mstate.argv_len_sums): each argument's
   * bytes and a reference to it (8 bytes, Redis's robj pointer; the queue here holds one per argument too).
   * Another connection may be appending to the queue meanwhile, so it is read by index up to the size seen first,
   * never through an iterator.
   */
  private static final int ARGUMENT_REFERENCE_BYTES = 8;

  private static long multiMemory(List<byte[][]> queued) {
    if (queued == null) return 0;
    long bytes = 0;
    int size = queued.size();
    for (int i = 0; i < size; i++) {
      byte[][] command = queued.get(i);
      if (command == null) continue;
      for (byte[] arg : command) bytes += arg.length + ARGUMENT_REFERENCE_BYTES;
    }
    return bytes;
  }

  /**
   * The bytes the node holds for a client that it can count, as CLIENT LIST's tot-mem reports them (INFO
   * mem_clients_normal and mem_clients_slaves add them up): its query buffer's allocation, the commands queued
   * since MULTI, its reply buffer and the replies waiting for its socket. The objects of its connection (Akka's
   * stream stages, its session) are not counted.
   */
  static long clientMemory(Session s) {
    List<byte[][]> queued = s.transaction();
    return Math.max(s.queryBuffer, s.queryBufferAllocated) + multiMemory(queued) + queueMemory(queued)
        + watchMemory(s.watchedKeys) + s.replyBufferSize + s.outputMemory;
  }

  private static final MemoryUsage.Layout LAYOUT = MemoryUsage.Layout.current();

  /**
   * What MULTI's queue holds besides multi-mem (the arguments and a reference to each): per queued command, the
   * queue's reference to it and its argument array's header, in this JVM's layout (Redis counts its multiCmd
   * array here).
   */
  static long queueMemory(List<byte[][]> queued) {
    return queued == null ? 0 : (long) queued.size() * (LAYOUT.reference() + LAYOUT.arrayHeader());
  }

  /**
   * What WATCH holds per watched key (Redis counts a list node and a watchedKey each): the token's entry for it
   * (WatchToken.Watched: three references and a flag) and the list's reference to it. The key's bytes are not
   * counted, as Redis does not count them.
   */
  static long watchMemory(int watchedKeys) {
    return (long) watchedKeys * (LAYOUT.object(3, 0, 0, 1) + LAYOUT.reference());
  }

  /** Whether a connection counts as a replica (sent SYNC) for INFO's client memory and CLIENT TYPE filters. */
  static boolean isReplica(Session s) {
    return typeOf(s) == ClientType.REPLICA;
  }

  /**
   * CLIENT KILL addr (the old form: replies OK or "No such client", may kill the caller) or CLIENT KILL with
   * ID / TYPE / ADDR / LADDR / USER / SKIPME filters (replies the number killed, spares the caller unless
   * SKIPME no). The caller's own connection closes after this reply. On a replica whose link is up, the master's
   * client counts too, as in Redis: type MASTER, its address the master's ip:port, no id or local address the node
   * could show, and no user (Redis's master client is the superuser): killing it cuts the replication stream, and
   * the link connects again.
   */
  static Reply clientKill(ClientDirectory clients, Replication replication, Session caller, byte[][] args) {
    String addr = null;
    String laddr = null;
    ClientType type = null;
    long id = 0;
    boolean userGiven = false;
    boolean skipMe = true;
    boolean oldForm = args.length == 3;
    if (oldForm) {
      addr = Args.text(args[2]);
      skipMe = false;
    } else {
      for (int i = 2; i < args.length; i += 2) {
        boolean moreArgs = args.length > i + 1;
        if (Args.is(args[i], "id") && moreArgs) {
          Long parsed = Args.parseLong(args[i + 1]);
          if (parsed == null || parsed < 1) return Reply.error("ERR client-id should be greater than 0");
          id = parsed;
        } else if (Args.is(args[i], "type") && moreArgs) {
          type = clientType(args[i + 1]);
          if (type == null) return Reply.error("ERR Unknown client type '" + Args.text(args[i + 1]) + "'");
        } else if (Args.is(args[i], "addr") && moreArgs) {
          addr = Args.text(args[i + 1]);
        } else if (Args.is(args[i], "laddr") && moreArgs) {
          laddr = Args.text(args[i + 1]);
        } else if (Args.is(args[i], "user") && moreArgs) {
          String user = Args.text(args[i + 1]);
          if (!user.equals(DEFAULT_USER)) return Reply.error("ERR No such user '" + user + "'");
          userGiven = true;
        } else if (Args.is(args[i], "skipme") && moreArgs) {
          if (Args.is(args[i + 1], "yes")) skipMe = true;
          else if (Args.is(args[i + 1], "no")) skipMe = false;
          else return Reply.SYNTAX_ERROR;
        } else {
          return Reply.SYNTAX_ERROR;
        }
      }
    }
    int killed = 0;
    boolean closeCaller = false;
    boolean sourceDropsReplicas = killsAllReplicas(args);
    for (Session s : sorted(clients)) {
      if (addr != null && !addr.equals(s.addr)) continue;
      if (laddr != null && !laddr.equals(s.laddr)) continue;
      if (type != null && type != typeOf(s)) continue;
      // Every replica at once: the replication source drops them all, SYNC connections included, and counts them.
      if (type == ClientType.REPLICA && sourceDropsReplicas) continue;
      if (id != 0 && s.id != id) continue;
      if (s == caller && skipMe) continue;
      if (s == caller) {
        closeCaller = true;
        killed++;
      } else if (clients.kill(s.id)) {
        killed++;
      }
    }
    Replication.MasterLink master = replication.masterLink();
    if (master != null && master.state().equals("connected") && laddr == null && id == 0 && !userGiven
        && (type == null || type == ClientType.MASTER)
        && (addr == null || addr.equals(master.host() + ":" + master.port()))) {
      replication.killMasterLink();
      killed++;
    }
    if (closeCaller) caller.closeRequested = true;
    if (oldForm) return killed == 0 ? Reply.error("ERR No such client") : Reply.OK;
    return Reply.integer(killed);
  }

  /**
   * Whether a CLIENT KILL (new form) asks for every replica: TYPE REPLICA (or SLAVE) with no ID, ADDR or LADDR
   * filter, which no replica over the bus could match.
   */
  static boolean killsAllReplicas(byte[][] args) {
    if (args.length == 3) return false;
    boolean replicas = false;
    for (int i = 2; i + 1 < args.length; i += 2) {
      if (Args.is(args[i], "type")) replicas = clientType(args[i + 1]) == ClientType.REPLICA;
      else if (Args.is(args[i], "id") || Args.is(args[i], "addr") || Args.is(args[i], "laddr")) return false;
    }
    return replicas;
  }

  private static final List<String> CLIENT_HELP = List.of(
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are:",
      "    * ADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made from the specified address",
      "    * LADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made to specified local address",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Kill connections by type.",
      "    * USER <username>",
      "      Kill connections authenticated by <username>.",
      "    * SKIPME (YES|NO)",
      "      Skip killing current connection (default: yes).",
      "LIST [options ...]",
      "    Return information about client connections. Options:",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Return clients of specified type.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are:",
      "    * LIB-NAME: the client lib name.",
      "    * LIB-VER: the client lib version.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "HELP",
      "    Prints this help.");

  /** CLIENT LIST's sub, psub and ssub. */
  private static String pubsubCounts(Session s) {
    Subscriber subscriptions = s.subscriptions();
    if (subscriptions == null) return " sub=0 psub=0 ssub=0";
    return " sub=" + subscriptions.channelCount() + " psub=" + subscriptions.patternCount() + " ssub="
        + subscriptions.shardChannelCount();
  }

  /** A HELP reply: one status line per text line, as Redis's addReplyHelp writes it. */
  static Reply help(List<String> lines) {
    List<Reply> replies = new ArrayList<>(lines.size());
    for (String line : lines) replies.add(Reply.simple(line));
    return Reply.array(replies);
  }
}
