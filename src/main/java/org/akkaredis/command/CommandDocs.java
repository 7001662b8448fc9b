package org.akkaredis.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.akkaredis.resp.Reply;

/**
 * Redis 7.0.15's COMMAND DOCS for the commands the node implements, kept as data captured from the real server
 * and parsed once, on first use. Clients read it: redis-cli builds its argument hints from "arguments".
 *
 * <p>The data has one block per command or subcommand (by full name, "client|list"). Its first line is
 * {@code name group since summary[|complexity]}. Indented lines that start with '=' are the command's
 * {@code doc_flags} (space separated), {@code deprecated_since}, {@code replaced_by} and {@code history}
 * ("version text", one line per entry). The other indented lines are arguments, two spaces deeper per nesting
 * level: {@code name type [key_spec=N] [token=T] [since=V] [deprecated_since=V] [flags=a,b]}; an argument's
 * own arguments (of a oneof or block) follow it one level deeper.
 */
final class CommandDocs {
  private CommandDocs() {}

  /** One argument as COMMAND DOCS describes it; keySpecIndex is -1 when the argument is no key. */
  record Argument(String name, String type, int keySpecIndex, String token, String since, String deprecatedSince,
      List<String> flags, List<Argument> arguments) {

    /** The argument's map, fields in Redis's order (addReplyCommandArgList). */
    Reply reply() {
      List<Reply> fields = new ArrayList<>();
      field(fields, "name", name);
      field(fields, "type", type);
      if (keySpecIndex >= 0) {
        fields.add(Reply.bulk("key_spec_index"));
        fields.add(Reply.integer(keySpecIndex));
      }
      field(fields, "token", token);
      field(fields, "since", since);
      field(fields, "deprecated_since", deprecatedSince);
      if (!flags.isEmpty()) {
        fields.add(Reply.bulk("flags"));
        fields.add(statusSet(flags));
      }
      if (type.equals("oneof") || type.equals("block")) {
        fields.add(Reply.bulk("arguments"));
        fields.add(replies(arguments));
      }
      return Reply.map(fields);
    }
  }

  /** One history entry: the version and what changed in it. */
  record Change(String version, String description) {}

  /** A command's documentation; complexity, deprecatedSince and replacedBy may be null. */
  record Doc(String summary, String since, String group, String complexity, List<String> docFlags,
      String deprecatedSince, String replacedBy, List<Change> history, List<Argument> arguments) {

    /** The documentation map's fields in Redis's order (addReplyCommandDocs), subcommands left to the caller. */
    List<Reply> fields() {
      List<Reply> fields = new ArrayList<>();
      field(fields, "summary", summary);
      field(fields, "since", since);
      field(fields, "group", group);
      field(fields, "complexity", complexity);
      if (!docFlags.isEmpty()) {
        fields.add(Reply.bulk("doc_flags"));
        fields.add(statusSet(docFlags));
      }
      field(fields, "deprecated_since", deprecatedSince);
      field(fields, "replaced_by", replacedBy);
      if (!history.isEmpty()) {
        List<Reply> changes = new ArrayList<>(history.size());
        for (Change change : history) {
          changes.add(Reply.array(Reply.bulk(change.version()), Reply.bulk(change.description())));
        }
        fields.add(Reply.bulk("history"));
        fields.add(new Reply.SetReply(changes));
      }
      if (!arguments.isEmpty()) {
        fields.add(Reply.bulk("arguments"));
        fields.add(replies(arguments));
      }
      return fields;
    }
  }

  /** Redis 7.0.15's documentation of a command by its full name, or null when the data has none. */
  static Doc of(String fullName) {
    return Loaded.DOCS.get(fullName);
  }

  /** Every documented full name with its documentation. */
  static Map<String, Doc> all() {
    return Loaded.DOCS;
  }

  /** Parsed on first use: the node's start-up does not pay for it. */
  private static final class Loaded {
    static final Map<String, Doc> DOCS = parse(DATA);
  }

  private static void field(List<Reply> fields, String name, String value) {
    if (value == null) return;
    fields.add(Reply.bulk(name));
    fields.add(Reply.bulk(value));
  }

  private static Reply statusSet(List<String> words) {
    List<Reply> items = new ArrayList<>(words.size());
    for (String word : words) items.add(Reply.simple(word));
    return new Reply.SetReply(items);
  }

  private static Reply replies(List<Argument> arguments) {
    List<Reply> items = new ArrayList<>(arguments.size());
    for (Argument argument : arguments) items.add(argument.reply());
    return Reply.array(items);
  }

  // Parsing the data

  static Map<String, Doc> parse(String data) {
    String[] lines = data.split("\n");
    Map<String, Doc> docs = new HashMap<>();
    int[] at = {0};
    while (at[0] < lines.length) {
      String header = lines[at[0]++];
      if (header.isBlank()) continue;
      String[] head = header.split(" ", 4);
      String name = head[0];
      String group = head[1];
      String since = head[2];
      int bar = head[3].indexOf('|');
      String summary = bar < 0 ? head[3] : head[3].substring(0, bar);
      String complexity = bar < 0 ? null : head[3].substring(bar + 1);
      List<String> docFlags = List.of();
      String deprecatedSince = null;
      String replacedBy = null;
      List<Change> history = new ArrayList<>();
      while (at[0] < lines.length && lines[at[0]].startsWith("  =")) {
        String line = lines[at[0]++].substring(3);
        int space = line.indexOf(' ');
        String value = line.substring(space + 1);
        switch (line.substring(0, space)) {
          case "doc_flags" -> docFlags = List.of(value.split(" "));
          case "deprecated_since" -> deprecatedSince = value;
          case "replaced_by" -> replacedBy = value;
          case "history" -> {
            int split = value.indexOf(' ');
            history.add(new Change(value.substring(0, split), value.substring(split + 1)));
          }
          default -> throw new IllegalArgumentException("unknown documentation field: " + line);
        }
      }
      List<Argument> arguments = parseArguments(lines, at, 1);
      docs.put(name, new Doc(summary, since, group, complexity, docFlags, deprecatedSince, replacedBy,
          List.copyOf(history), arguments));
    }
    return Map.copyOf(docs);
  }

  /** The arguments at one nesting level, each followed by its own arguments one level deeper. */
  private static List<Argument> parseArguments(String[] lines, int[] at, int depth) {
    List<Argument> arguments = new ArrayList<>();
    while (at[0] < lines.length && indentOf(lines[at[0]]) == 2 * depth) {
      String[] words = lines[at[0]++].strip().split(" ");
      int keySpecIndex = -1;
      String token = null;
      String since = null;
      String deprecatedSince = null;
      List<String> flags = List.of();
      for (int i = 2; i < words.length; i++) {
        int eq = words[i].indexOf('=');
        String value = words[i].substring(eq + 1);
        switch (words[i].substring(0, eq)) {
          case "key_spec" -> keySpecIndex = Integer.parseInt(value);
          case "token" -> token = value;
          case "since" -> since = value;
          case "deprecated_since" -> deprecatedSince = value;
          case "flags" -> flags = List.of(value.split(","));
          default -> throw new IllegalArgumentException("unknown argument field: " + words[i]);
        }
      }
      List<Argument> nested = parseArguments(lines, at, depth + 1);
      arguments.add(new Argument(words[0], words[1], keySpecIndex, token, since, deprecatedSince, flags, nested));
    }
    return List.copyOf(arguments);
  }

  private static int indentOf(String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') indent++;
    return indent;
  }

  /** Captured from redis-server 7.0.15's COMMAND DOCS (RESP3), one block per implemented command. */
  private static final String DATA = """
      append string 2.0.0 Append a value to a key|O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.
        key key key_spec=0
        value string
      asking cluster 3.0.0 Sent by cluster clients after an -ASK redirect|O(1)
      auth connection 1.0.0 Authenticate to the server|O(N) where N is the number of passwords defined for the user
        =history 6.0.0 Added ACL style (username and password).
        username string since=6.0.0 flags=optional
        password string
      bgrewriteaof server 1.0.0 Asynchronously rewrite the append-only file|O(1)
      bgsave server 1.0.0 Asynchronously save the dataset to disk|O(1)
        =history 3.2.2 Added the `SCHEDULE` option.
        schedule pure-token token=SCHEDULE since=3.2.2 flags=optional
      blmove list 6.2.0 Pop an element from a list, push it to another list and return it; or block until one is available|O(1)
        source key key_spec=0
        destination key key_spec=1
        wherefrom oneof
          left pure-token token=LEFT
          right pure-token token=RIGHT
        whereto oneof
          left pure-token token=LEFT
          right pure-token token=RIGHT
        timeout double
      blmpop list 7.0.0 Pop elements from a list, or block until one is available|O(N+M) where N is the number of provided keys and M is the number of elements returned.
        timeout double
        numkeys integer
        key key key_spec=0 flags=multiple
        where oneof
          left pure-token token=LEFT
          right pure-token token=RIGHT
        count integer token=COUNT flags=optional
      blpop list 2.0.0 Remove and get the first element in a list, or block until one is available|O(N) where N is the number of provided keys.
        =history 6.0.0 `timeout` is interpreted as a double instead of an integer.
        key key key_spec=0 flags=multiple
        timeout double
      brpop list 2.0.0 Remove and get the last element in a list, or block until one is available|O(N) where N is the number of provided keys.
        =history 6.0.0 `timeout` is interpreted as a double instead of an integer.
        key key key_spec=0 flags=multiple
        timeout double
      brpoplpush list 2.2.0 Pop an element from a list, push it to another list and return it; or block until one is available|O(1)
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `BLMOVE` with the `RIGHT` and `LEFT` arguments
        =history 6.0.0 `timeout` is interpreted as a double instead of an integer.
        source key key_spec=0
        destination key key_spec=1
        timeout double
      bzmpop sorted-set 7.0.0 Remove and return members with scores in a sorted set or block until one is available|O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.
        timeout double
        numkeys integer
        key key key_spec=0 flags=multiple
        where oneof
          min pure-token token=MIN
          max pure-token token=MAX
        count integer token=COUNT flags=optional
      bzpopmax sorted-set 5.0.0 Remove and return the member with the highest score from one or more sorted sets, or block until one is available|O(log(N)) with N being the number of elements in the sorted set.
        =history 6.0.0 `timeout` is interpreted as a double instead of an integer.
        key key key_spec=0 flags=multiple
        timeout double
      bzpopmin sorted-set 5.0.0 Remove and return the member with the lowest score from one or more sorted sets, or block until one is available|O(log(N)) with N being the number of elements in the sorted set.
        =history 6.0.0 `timeout` is interpreted as a double instead of an integer.
        key key key_spec=0 flags=multiple
        timeout double
      client connection 2.4.0 A container for client connection commands|Depends on subcommand.
      client|getname connection 2.6.9 Get the current connection name|O(1)
      client|help connection 5.0.0 Show helpful text about the different subcommands|O(1)
      client|id connection 5.0.0 Returns the client ID for the current connection|O(1)
      client|info connection 6.2.0 Returns information about the current client connection.|O(1)
      client|kill connection 2.4.0 Kill the connection of a client|O(N) where N is the number of client connections
        =history 2.8.12 Added new filter format.
        =history 2.8.12 `ID` option.
        =history 3.2.0 Added `master` type in for `TYPE` option.
        =history 5.0.0 Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.
        =history 6.2.0 `LADDR` option.
        filter oneof
          ip:port string deprecated_since=2.8.12
          new-format oneof flags=multiple
            client-id integer token=ID since=2.8.12 flags=optional
            normal_master_slave_pubsub oneof token=TYPE since=2.8.12 flags=optional
              normal pure-token token=NORMAL
              master pure-token token=MASTER since=3.2.0
              slave pure-token token=SLAVE
              replica pure-token token=REPLICA since=5.0.0
              pubsub pure-token token=PUBSUB
            username string token=USER flags=optional
            ip:port string token=ADDR flags=optional
            ip:port string token=LADDR since=6.2.0 flags=optional
            yes/no string token=SKIPME flags=optional
      client|list connection 2.4.0 Get the list of client connections|O(N) where N is the number of client connections
        =history 2.8.12 Added unique client `id` field.
        =history 5.0.0 Added optional `TYPE` filter.
        =history 6.0.0 Added `user` field.
        =history 6.2.0 Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.
        =history 7.0.0 Added `resp`, `multi-mem`, `rbs` and `rbp` fields.
        =history 7.0.3 Added `ssub` field.
        normal_master_replica_pubsub oneof token=TYPE since=5.0.0 flags=optional
          normal pure-token token=NORMAL
          master pure-token token=MASTER
          replica pure-token token=REPLICA
          pubsub pure-token token=PUBSUB
        id block token=ID since=6.2.0 flags=optional
          client-id integer flags=multiple
      client|no-evict connection 7.0.0 Set client eviction mode for the current connection|O(1)
        enabled oneof
          on pure-token token=ON
          off pure-token token=OFF
      client|setname connection 2.6.9 Set the current connection name|O(1)
        connection-name string
      cluster cluster 3.0.0 A container for cluster commands|Depends on subcommand.
      cluster|addslots cluster 3.0.0 Assign new hash slots to receiving node|O(N) where N is the total number of hash slot arguments
        slot integer flags=multiple
      cluster|addslotsrange cluster 7.0.0 Assign new hash slots to receiving node|O(N) where N is the total number of the slots between the start slot and end slot arguments.
        start-slot_end-slot block flags=multiple
          start-slot integer
          end-slot integer
      cluster|bumpepoch cluster 3.0.0 Advance the cluster config epoch|O(1)
      cluster|count-failure-reports cluster 3.0.0 Return the number of failure reports active for a given node|O(N) where N is the number of failure reports
        node-id string
      cluster|countkeysinslot cluster 3.0.0 Return the number of local keys in the specified hash slot|O(1)
        slot integer
      cluster|delslots cluster 3.0.0 Set hash slots as unbound in receiving node|O(N) where N is the total number of hash slot arguments
        slot integer flags=multiple
      cluster|delslotsrange cluster 7.0.0 Set hash slots as unbound in receiving node|O(N) where N is the total number of the slots between the start slot and end slot arguments.
        start-slot_end-slot block flags=multiple
          start-slot integer
          end-slot integer
      cluster|failover cluster 3.0.0 Forces a replica to perform a manual failover of its master.|O(1)
        options oneof flags=optional
          force pure-token token=FORCE
          takeover pure-token token=TAKEOVER
      cluster|flushslots cluster 3.0.0 Delete a node's own slots information|O(1)
      cluster|forget cluster 3.0.0 Remove a node from the nodes table|O(1)
        node-id string
      cluster|getkeysinslot cluster 3.0.0 Return local key names in the specified hash slot|O(log(N)) where N is the number of requested keys
        slot integer
        count integer
      cluster|help cluster 5.0.0 Show helpful text about the different subcommands|O(1)
      cluster|info cluster 3.0.0 Provides info about Redis Cluster node state|O(1)
      cluster|keyslot cluster 3.0.0 Returns the hash slot of the specified key|O(N) where N is the number of bytes in the key
        key string
      cluster|links cluster 7.0.0 Returns a list of all TCP links to and from peer nodes in cluster|O(N) where N is the total number of Cluster nodes
      cluster|meet cluster 3.0.0 Force a node cluster to handshake with another node|O(1)
        =history 4.0.0 Added the optional `cluster_bus_port` argument.
        ip string
        port integer
        cluster_bus_port integer since=4.0.0 flags=optional
      cluster|myid cluster 3.0.0 Return the node id|O(1)
      cluster|nodes cluster 3.0.0 Get Cluster config for the node|O(N) where N is the total number of Cluster nodes
      cluster|replicas cluster 5.0.0 List replica nodes of the specified master node|O(1)
        node-id string
      cluster|replicate cluster 3.0.0 Reconfigure a node as a replica of the specified master node|O(1)
        node-id string
      cluster|reset cluster 3.0.0 Reset a Redis Cluster node|O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.
        hard_soft oneof flags=optional
          hard pure-token token=HARD
          soft pure-token token=SOFT
      cluster|saveconfig cluster 3.0.0 Forces the node to save cluster state on disk|O(1)
      cluster|set-config-epoch cluster 3.0.0 Set the configuration epoch in a new node|O(1)
        config-epoch integer
      cluster|shards cluster 7.0.0 Get array of cluster slots to node mappings|O(N) where N is the total number of cluster nodes
      cluster|slaves cluster 3.0.0 List replica nodes of the specified master node|O(1)
        =doc_flags deprecated
        =deprecated_since 5.0.0
        =replaced_by `CLUSTER REPLICAS`
        node-id string
      cluster|slots cluster 3.0.0 Get array of Cluster slot to node mappings|O(N) where N is the total number of Cluster nodes
        =doc_flags deprecated
        =deprecated_since 7.0.0
        =replaced_by `CLUSTER SHARDS`
        =history 4.0.0 Added node IDs.
        =history 7.0.0 Added additional networking metadata field.
      command server 2.8.13 Get array of Redis command details|O(N) where N is the total number of Redis commands
      command|count server 2.8.13 Get total number of Redis commands|O(1)
      command|docs server 7.0.0 Get array of specific Redis command documentation|O(N) where N is the number of commands to look up
        command-name string flags=optional,multiple
      command|getkeys server 2.8.13 Extract keys given a full Redis command|O(N) where N is the number of arguments to the command
      command|getkeysandflags server 7.0.0 Extract keys and access flags given a full Redis command|O(N) where N is the number of arguments to the command
      command|help server 5.0.0 Show helpful text about the different subcommands|O(1)
      command|info server 2.8.13 Get array of specific Redis command details, or all when no argument is given.|O(N) where N is the number of commands to look up
        =history 7.0.0 Allowed to be called with no argument to get info on all commands.
        command-name string flags=optional,multiple
      command|list server 7.0.0 Get an array of Redis command names|O(N) where N is the total number of Redis commands
        filterby oneof token=FILTERBY flags=optional
          module-name string token=MODULE
          category string token=ACLCAT
          pattern pattern token=PATTERN
      config server 2.0.0 A container for server configuration commands|Depends on subcommand.
      config|get server 2.0.0 Get the values of configuration parameters|O(N) when N is the number of configuration parameters provided
        =history 7.0.0 Added the ability to pass multiple pattern parameters in one call
        parameter block flags=multiple
          parameter string
      config|help server 5.0.0 Show helpful text about the different subcommands|O(1)
      config|resetstat server 2.0.0 Reset the stats returned by INFO|O(1)
      config|rewrite server 2.8.0 Rewrite the configuration file with the in memory configuration|O(1)
      config|set server 2.0.0 Set configuration parameters to the given values|O(N) when N is the number of configuration parameters provided
        =history 7.0.0 Added the ability to set multiple parameters in one call.
        parameter_value block flags=multiple
          parameter string
          value string
      copy generic 6.2.0 Copy a key|O(N) worst case for collections, where N is the number of nested items. O(1) for string values.
        source key key_spec=0
        destination key key_spec=1
        destination-db integer token=DB flags=optional
        replace pure-token token=REPLACE flags=optional
      dbsize server 1.0.0 Return the number of keys in the selected database|O(1)
      debug server 1.0.0 A container for debugging commands|Depends on subcommand.
        =doc_flags syscmd
      decr string 1.0.0 Decrement the integer value of a key by one|O(1)
        key key key_spec=0
      decrby string 1.0.0 Decrement the integer value of a key by the given number|O(1)
        key key key_spec=0
        decrement integer
      del generic 1.0.0 Delete a key|O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).
        key key key_spec=0 flags=multiple
      discard transactions 2.0.0 Discard all commands issued after MULTI|O(N), when N is the number of queued commands
      echo connection 1.0.0 Echo the given string|O(1)
        message string
      exec transactions 1.2.0 Execute all commands issued after MULTI|Depends on commands in the transaction
      exists generic 1.0.0 Determine if a key exists|O(N) where N is the number of keys to check.
        =history 3.0.3 Accepts multiple `key` arguments.
        key key key_spec=0 flags=multiple
      expire generic 1.0.0 Set a key's time to live in seconds|O(1)
        =history 7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.
        key key key_spec=0
        seconds integer
        condition oneof since=7.0.0 flags=optional
          nx pure-token token=NX
          xx pure-token token=XX
          gt pure-token token=GT
          lt pure-token token=LT
      expireat generic 1.2.0 Set the expiration for a key as a UNIX timestamp|O(1)
        =history 7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.
        key key key_spec=0
        unix-time-seconds unix-time
        condition oneof since=7.0.0 flags=optional
          nx pure-token token=NX
          xx pure-token token=XX
          gt pure-token token=GT
          lt pure-token token=LT
      expiretime generic 7.0.0 Get the expiration Unix timestamp for a key|O(1)
        key key key_spec=0
      flushall server 1.0.0 Remove all keys from all databases|O(N) where N is the total number of keys in all databases
        =history 4.0.0 Added the `ASYNC` flushing mode modifier.
        =history 6.2.0 Added the `SYNC` flushing mode modifier.
        async oneof flags=optional
          async pure-token token=ASYNC since=4.0.0
          sync pure-token token=SYNC since=6.2.0
      flushdb server 1.0.0 Remove all keys from the current database|O(N) where N is the number of keys in the selected database
        =history 4.0.0 Added the `ASYNC` flushing mode modifier.
        =history 6.2.0 Added the `SYNC` flushing mode modifier.
        async oneof flags=optional
          async pure-token token=ASYNC since=4.0.0
          sync pure-token token=SYNC since=6.2.0
      get string 1.0.0 Get the value of a key|O(1)
        key key key_spec=0
      getdel string 6.2.0 Get the value of a key and delete the key|O(1)
        key key key_spec=0
      getex string 6.2.0 Get the value of a key and optionally set its expiration|O(1)
        key key key_spec=0
        expiration oneof flags=optional
          seconds integer token=EX
          milliseconds integer token=PX
          unix-time-seconds unix-time token=EXAT
          unix-time-milliseconds unix-time token=PXAT
          persist pure-token token=PERSIST
      getrange string 2.4.0 Get a substring of the string stored at a key|O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.
        key key key_spec=0
        start integer
        end integer
      getset string 1.0.0 Set the string value of a key and return its old value|O(1)
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `SET` with the `!GET` argument
        key key key_spec=0
        value string
      hdel hash 2.0.0 Delete one or more hash fields|O(N) where N is the number of fields to be removed.
        =history 2.4.0 Accepts multiple `field` arguments.
        key key key_spec=0
        field string flags=multiple
      hello connection 6.0.0 Handshake with Redis|O(1)
        =history 6.2.0 `protover` made optional; when called without arguments the command reports the current connection's context.
        arguments block flags=optional
          protover integer
          username_password block token=AUTH flags=optional
            username string
            password string
          clientname string token=SETNAME flags=optional
      hexists hash 2.0.0 Determine if a hash field exists|O(1)
        key key key_spec=0
        field string
      hget hash 2.0.0 Get the value of a hash field|O(1)
        key key key_spec=0
        field string
      hgetall hash 2.0.0 Get all the fields and values in a hash|O(N) where N is the size of the hash.
        key key key_spec=0
      hincrby hash 2.0.0 Increment the integer value of a hash field by the given number|O(1)
        key key key_spec=0
        field string
        increment integer
      hincrbyfloat hash 2.6.0 Increment the float value of a hash field by the given amount|O(1)
        key key key_spec=0
        field string
        increment double
      hkeys hash 2.0.0 Get all the fields in a hash|O(N) where N is the size of the hash.
        key key key_spec=0
      hlen hash 2.0.0 Get the number of fields in a hash|O(1)
        key key key_spec=0
      hmget hash 2.0.0 Get the values of all the given hash fields|O(N) where N is the number of fields being requested.
        key key key_spec=0
        field string flags=multiple
      hmset hash 2.0.0 Set multiple hash fields to multiple values|O(N) where N is the number of fields being set.
        =doc_flags deprecated
        =deprecated_since 4.0.0
        =replaced_by `HSET` with multiple field-value pairs
        key key key_spec=0
        field_value block flags=multiple
          field string
          value string
      hrandfield hash 6.2.0 Get one or multiple random fields from a hash|O(N) where N is the number of fields returned
        key key key_spec=0
        options block flags=optional
          count integer
          withvalues pure-token token=WITHVALUES flags=optional
      hscan hash 2.8.0 Incrementally iterate hash fields and associated values|O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..
        key key key_spec=0
        cursor integer
        pattern pattern token=MATCH flags=optional
        count integer token=COUNT flags=optional
      hset hash 2.0.0 Set the string value of a hash field|O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.
        =history 4.0.0 Accepts multiple `field` and `value` arguments.
        key key key_spec=0
        field_value block flags=multiple
          field string
          value string
      hsetnx hash 2.0.0 Set the value of a hash field, only if the field does not exist|O(1)
        key key key_spec=0
        field string
        value string
      hstrlen hash 3.2.0 Get the length of the value of a hash field|O(1)
        key key key_spec=0
        field string
      hvals hash 2.0.0 Get all the values in a hash|O(N) where N is the size of the hash.
        key key key_spec=0
      incr string 1.0.0 Increment the integer value of a key by one|O(1)
        key key key_spec=0
      incrby string 1.0.0 Increment the integer value of a key by the given amount|O(1)
        key key key_spec=0
        increment integer
      incrbyfloat string 2.6.0 Increment the float value of a key by the given amount|O(1)
        key key key_spec=0
        increment double
      info server 1.0.0 Get information and statistics about the server|O(1)
        =history 7.0.0 Added support for taking multiple section arguments.
        section string flags=optional,multiple
      keys generic 1.0.0 Find all keys matching the given pattern|O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.
        pattern pattern
      lastsave server 1.0.0 Get the UNIX time stamp of the last successful save to disk|O(1)
      lcs string 7.0.0 Find longest common substring|O(N*M) where N and M are the lengths of s1 and s2, respectively
        key1 key key_spec=0
        key2 key key_spec=0
        len pure-token token=LEN flags=optional
        idx pure-token token=IDX flags=optional
        len integer token=MINMATCHLEN flags=optional
        withmatchlen pure-token token=WITHMATCHLEN flags=optional
      lindex list 1.0.0 Get an element from a list by its index|O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).
        key key key_spec=0
        index integer
      linsert list 2.2.0 Insert an element before or after another element in a list|O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).
        key key key_spec=0
        where oneof
          before pure-token token=BEFORE
          after pure-token token=AFTER
        pivot string
        element string
      llen list 1.0.0 Get the length of a list|O(1)
        key key key_spec=0
      lmove list 6.2.0 Pop an element from a list, push it to another list and return it|O(1)
        source key key_spec=0
        destination key key_spec=1
        wherefrom oneof
          left pure-token token=LEFT
          right pure-token token=RIGHT
        whereto oneof
          left pure-token token=LEFT
          right pure-token token=RIGHT
      lmpop list 7.0.0 Pop elements from a list|O(N+M) where N is the number of provided keys and M is the number of elements returned.
        numkeys integer
        key key key_spec=0 flags=multiple
        where oneof
          left pure-token token=LEFT
          right pure-token token=RIGHT
        count integer token=COUNT flags=optional
      lpop list 1.0.0 Remove and get the first elements in a list|O(N) where N is the number of elements returned
        =history 6.2.0 Added the `count` argument.
        key key key_spec=0
        count integer since=6.2.0 flags=optional
      lpos list 6.0.6 Return the index of matching elements on a list|O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.
        key key key_spec=0
        element string
        rank integer token=RANK flags=optional
        num-matches integer token=COUNT flags=optional
        len integer token=MAXLEN flags=optional
      lpush list 1.0.0 Prepend one or multiple elements to a list|O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.
        =history 2.4.0 Accepts multiple `element` arguments.
        key key key_spec=0
        element string flags=multiple
      lpushx list 2.2.0 Prepend an element to a list, only if the list exists|O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.
        =history 4.0.0 Accepts multiple `element` arguments.
        key key key_spec=0
        element string flags=multiple
      lrange list 1.0.0 Get a range of elements from a list|O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.
        key key key_spec=0
        start integer
        stop integer
      lrem list 1.0.0 Remove elements from a list|O(N+M) where N is the length of the list and M is the number of elements removed.
        key key key_spec=0
        count integer
        element string
      lset list 1.0.0 Set the value of an element in a list by its index|O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).
        key key key_spec=0
        index integer
        element string
      ltrim list 1.0.0 Trim a list to the specified range|O(N) where N is the number of elements to be removed by the operation.
        key key key_spec=0
        start integer
        stop integer
      mget string 1.0.0 Get the values of all the given keys|O(N) where N is the number of keys to retrieve.
        key key key_spec=0 flags=multiple
      mset string 1.0.1 Set multiple keys to multiple values|O(N) where N is the number of keys to set.
        key_value block flags=multiple
          key key key_spec=0
          value string
      msetnx string 1.0.1 Set multiple keys to multiple values, only if none of the keys exist|O(N) where N is the number of keys to set.
        key_value block flags=multiple
          key key key_spec=0
          value string
      multi transactions 1.2.0 Mark the start of a transaction block|O(1)
      object generic 2.2.3 A container for object introspection commands|Depends on subcommand.
      object|encoding generic 2.2.3 Inspect the internal encoding of a Redis object|O(1)
        key key key_spec=0
      object|freq generic 4.0.0 Get the logarithmic access frequency counter of a Redis object|O(1)
        key key key_spec=0
      object|help generic 6.2.0 Show helpful text about the different subcommands|O(1)
      object|idletime generic 2.2.3 Get the time since a Redis object was last accessed|O(1)
        key key key_spec=0
      object|refcount generic 2.2.3 Get the number of references to the value of the key|O(1)
        key key key_spec=0
      persist generic 2.2.0 Remove the expiration from a key|O(1)
        key key key_spec=0
      pexpire generic 2.6.0 Set a key's time to live in milliseconds|O(1)
        =history 7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.
        key key key_spec=0
        milliseconds integer
        condition oneof since=7.0.0 flags=optional
          nx pure-token token=NX
          xx pure-token token=XX
          gt pure-token token=GT
          lt pure-token token=LT
      pexpireat generic 2.6.0 Set the expiration for a key as a UNIX timestamp specified in milliseconds|O(1)
        =history 7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.
        key key key_spec=0
        unix-time-milliseconds unix-time
        condition oneof since=7.0.0 flags=optional
          nx pure-token token=NX
          xx pure-token token=XX
          gt pure-token token=GT
          lt pure-token token=LT
      pexpiretime generic 7.0.0 Get the expiration Unix timestamp for a key in milliseconds|O(1)
        key key key_spec=0
      ping connection 1.0.0 Ping the server|O(1)
        message string flags=optional
      psetex string 2.6.0 Set the value and expiration in milliseconds of a key|O(1)
        key key key_spec=0
        milliseconds integer
        value string
      pttl generic 2.6.0 Get the time to live for a key in milliseconds|O(1)
        =history 2.8.0 Added the -2 reply.
        key key key_spec=0
      quit connection 1.0.0 Close the connection|O(1)
      randomkey generic 1.0.0 Return a random key from the keyspace|O(1)
      readonly cluster 3.0.0 Enables read queries for a connection to a cluster replica node|O(1)
      readwrite cluster 3.0.0 Disables read queries for a connection to a cluster replica node|O(1)
      rename generic 1.0.0 Rename a key|O(1)
        key key key_spec=0
        newkey key key_spec=1
      renamenx generic 1.0.0 Rename a key, only if the new key does not exist|O(1)
        =history 3.2.0 The command no longer returns an error when source and destination names are the same.
        key key key_spec=0
        newkey key key_spec=1
      reset connection 6.2.0 Reset the connection|O(1)
      role server 2.8.12 Return the role of the instance in the context of replication|O(1)
      rpop list 1.0.0 Remove and get the last elements in a list|O(N) where N is the number of elements returned
        =history 6.2.0 Added the `count` argument.
        key key key_spec=0
        count integer since=6.2.0 flags=optional
      rpoplpush list 1.2.0 Remove the last element in a list, prepend it to another list and return it|O(1)
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `LMOVE` with the `RIGHT` and `LEFT` arguments
        source key key_spec=0
        destination key key_spec=1
      rpush list 1.0.0 Append one or multiple elements to a list|O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.
        =history 2.4.0 Accepts multiple `element` arguments.
        key key key_spec=0
        element string flags=multiple
      rpushx list 2.2.0 Append an element to a list, only if the list exists|O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.
        =history 4.0.0 Accepts multiple `element` arguments.
        key key key_spec=0
        element string flags=multiple
      sadd set 1.0.0 Add one or more members to a set|O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.
        =history 2.4.0 Accepts multiple `member` arguments.
        key key key_spec=0
        member string flags=multiple
      save server 1.0.0 Synchronously save the dataset to disk|O(N) where N is the total number of keys in all databases
      scan generic 2.8.0 Incrementally iterate the keys space|O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.
        =history 6.0.0 Added the `TYPE` subcommand.
        cursor integer
        pattern pattern token=MATCH flags=optional
        count integer token=COUNT flags=optional
        type string token=TYPE since=6.0.0 flags=optional
      scard set 1.0.0 Get the number of members in a set|O(1)
        key key key_spec=0
      sdiff set 1.0.0 Subtract multiple sets|O(N) where N is the total number of elements in all given sets.
        key key key_spec=0 flags=multiple
      sdiffstore set 1.0.0 Subtract multiple sets and store the resulting set in a key|O(N) where N is the total number of elements in all given sets.
        destination key key_spec=0
        key key key_spec=1 flags=multiple
      select connection 1.0.0 Change the selected database for the current connection|O(1)
        index integer
      set string 1.0.0 Set the string value of a key|O(1)
        =history 2.6.12 Added the `EX`, `PX`, `NX` and `XX` options.
        =history 6.0.0 Added the `KEEPTTL` option.
        =history 6.2.0 Added the `GET`, `EXAT` and `PXAT` option.
        =history 7.0.0 Allowed the `NX` and `GET` options to be used together.
        key key key_spec=0
        value string
        condition oneof since=2.6.12 flags=optional
          nx pure-token token=NX
          xx pure-token token=XX
        get pure-token token=GET since=6.2.0 flags=optional
        expiration oneof flags=optional
          seconds integer token=EX since=2.6.12
          milliseconds integer token=PX since=2.6.12
          unix-time-seconds unix-time token=EXAT since=6.2.0
          unix-time-milliseconds unix-time token=PXAT since=6.2.0
          keepttl pure-token token=KEEPTTL since=6.0.0
      setex string 2.0.0 Set the value and expiration of a key|O(1)
        key key key_spec=0
        seconds integer
        value string
      setnx string 1.0.0 Set the value of a key, only if the key does not exist|O(1)
        key key key_spec=0
        value string
      setrange string 2.2.0 Overwrite part of a string at key starting at the specified offset|O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.
        key key key_spec=0
        offset integer
        value string
      shutdown server 1.0.0 Synchronously save the dataset to disk and then shut down the server|O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)
        =history 7.0.0 Added the `NOW`, `FORCE` and `ABORT` modifiers.
        nosave_save oneof flags=optional
          nosave pure-token token=NOSAVE
          save pure-token token=SAVE
        now pure-token token=NOW since=7.0.0 flags=optional
        force pure-token token=FORCE since=7.0.0 flags=optional
        abort pure-token token=ABORT since=7.0.0 flags=optional
      sinter set 1.0.0 Intersect multiple sets|O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.
        key key key_spec=0 flags=multiple
      sintercard set 7.0.0 Intersect multiple sets and return the cardinality of the result|O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.
        numkeys integer
        key key key_spec=0 flags=multiple
        limit integer token=LIMIT flags=optional
      sinterstore set 1.0.0 Intersect multiple sets and store the resulting set in a key|O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.
        destination key key_spec=0
        key key key_spec=1 flags=multiple
      sismember set 1.0.0 Determine if a given value is a member of a set|O(1)
        key key key_spec=0
        member string
      smembers set 1.0.0 Get all the members in a set|O(N) where N is the set cardinality.
        key key key_spec=0
      smismember set 6.2.0 Returns the membership associated with the given elements for a set|O(N) where N is the number of elements being checked for membership
        key key key_spec=0
        member string flags=multiple
      smove set 1.0.0 Move a member from one set to another|O(1)
        source key key_spec=0
        destination key key_spec=1
        member string
      spop set 1.0.0 Remove and return one or multiple random members from a set|Without the count argument O(1), otherwise O(N) where N is the value of the passed count.
        =history 3.2.0 Added the `count` argument.
        key key key_spec=0
        count integer since=3.2.0 flags=optional
      srandmember set 1.0.0 Get one or multiple random members from a set|Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.
        =history 2.6.0 Added the optional `count` argument.
        key key key_spec=0
        count integer since=2.6.0 flags=optional
      srem set 1.0.0 Remove one or more members from a set|O(N) where N is the number of members to be removed.
        =history 2.4.0 Accepts multiple `member` arguments.
        key key key_spec=0
        member string flags=multiple
      sscan set 2.8.0 Incrementally iterate Set elements|O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..
        key key key_spec=0
        cursor integer
        pattern pattern token=MATCH flags=optional
        count integer token=COUNT flags=optional
      strlen string 2.2.0 Get the length of the value stored in a key|O(1)
        key key key_spec=0
      substr string 1.0.0 Get a substring of the string stored at a key|O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.
        =doc_flags deprecated
        =deprecated_since 2.0.0
        =replaced_by `GETRANGE`
        key key key_spec=0
        start integer
        end integer
      sunion set 1.0.0 Add multiple sets|O(N) where N is the total number of elements in all given sets.
        key key key_spec=0 flags=multiple
      sunionstore set 1.0.0 Add multiple sets and store the resulting set in a key|O(N) where N is the total number of elements in all given sets.
        destination key key_spec=0
        key key key_spec=1 flags=multiple
      time server 2.6.0 Return the current server time|O(1)
      touch generic 3.2.1 Alters the last access time of a key(s). Returns the number of existing keys specified.|O(N) where N is the number of keys that will be touched.
        key key key_spec=0 flags=multiple
      ttl generic 1.0.0 Get the time to live for a key in seconds|O(1)
        =history 2.8.0 Added the -2 reply.
        key key key_spec=0
      type generic 1.0.0 Determine the type stored at key|O(1)
        key key key_spec=0
      unlink generic 4.0.0 Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.|O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.
        key key key_spec=0 flags=multiple
      unwatch transactions 2.2.0 Forget about all watched keys|O(1)
      wait generic 3.0.0 Wait for the synchronous replication of all the write commands sent in the context of the current connection|O(1)
        numreplicas integer
        timeout integer
      watch transactions 2.2.0 Watch the given keys to determine execution of the MULTI/EXEC block|O(1) for every key.
        key key key_spec=0 flags=multiple
      zadd sorted-set 1.2.0 Add one or more members to a sorted set, or update its score if it already exists|O(log(N)) for each item added, where N is the number of elements in the sorted set.
        =history 2.4.0 Accepts multiple elements.
        =history 3.0.2 Added the `XX`, `NX`, `CH` and `INCR` options.
        =history 6.2.0 Added the `GT` and `LT` options.
        key key key_spec=0
        condition oneof since=3.0.2 flags=optional
          nx pure-token token=NX
          xx pure-token token=XX
        comparison oneof since=6.2.0 flags=optional
          gt pure-token token=GT
          lt pure-token token=LT
        change pure-token token=CH since=3.0.2 flags=optional
        increment pure-token token=INCR since=3.0.2 flags=optional
        score_member block flags=multiple
          score double
          member string
      zcard sorted-set 1.2.0 Get the number of members in a sorted set|O(1)
        key key key_spec=0
      zcount sorted-set 2.0.0 Count the members in a sorted set with scores within the given values|O(log(N)) with N being the number of elements in the sorted set.
        key key key_spec=0
        min double
        max double
      zdiff sorted-set 6.2.0 Subtract multiple sorted sets|O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.
        numkeys integer
        key key key_spec=0 flags=multiple
        withscores pure-token token=WITHSCORES flags=optional
      zdiffstore sorted-set 6.2.0 Subtract multiple sorted sets and store the resulting sorted set in a new key|O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.
        destination key key_spec=0
        numkeys integer
        key key key_spec=1 flags=multiple
      zincrby sorted-set 1.2.0 Increment the score of a member in a sorted set|O(log(N)) where N is the number of elements in the sorted set.
        key key key_spec=0
        increment integer
        member string
      zinter sorted-set 6.2.0 Intersect multiple sorted sets|O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.
        numkeys integer
        key key key_spec=0 flags=multiple
        weight integer token=WEIGHTS flags=optional,multiple
        aggregate oneof token=AGGREGATE flags=optional
          sum pure-token token=SUM
          min pure-token token=MIN
          max pure-token token=MAX
        withscores pure-token token=WITHSCORES flags=optional
      zintercard sorted-set 7.0.0 Intersect multiple sorted sets and return the cardinality of the result|O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.
        numkeys integer
        key key key_spec=0 flags=multiple
        limit integer token=LIMIT flags=optional
      zinterstore sorted-set 2.0.0 Intersect multiple sorted sets and store the resulting sorted set in a new key|O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.
        destination key key_spec=0
        numkeys integer
        key key key_spec=1 flags=multiple
        weight integer token=WEIGHTS flags=optional,multiple
        aggregate oneof token=AGGREGATE flags=optional
          sum pure-token token=SUM
          min pure-token token=MIN
          max pure-token token=MAX
      zlexcount sorted-set 2.8.9 Count the number of members in a sorted set between a given lexicographical range|O(log(N)) with N being the number of elements in the sorted set.
        key key key_spec=0
        min string
        max string
      zmpop sorted-set 7.0.0 Remove and return members with scores in a sorted set|O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.
        numkeys integer
        key key key_spec=0 flags=multiple
        where oneof
          min pure-token token=MIN
          max pure-token token=MAX
        count integer token=COUNT flags=optional
      zmscore sorted-set 6.2.0 Get the score associated with the given members in a sorted set|O(N) where N is the number of members being requested.
        key key key_spec=0
        member string flags=multiple
      zpopmax sorted-set 5.0.0 Remove and return members with the highest scores in a sorted set|O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.
        key key key_spec=0
        count integer flags=optional
      zpopmin sorted-set 5.0.0 Remove and return members with the lowest scores in a sorted set|O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.
        key key key_spec=0
        count integer flags=optional
      zrandmember sorted-set 6.2.0 Get one or multiple random elements from a sorted set|O(N) where N is the number of elements returned
        key key key_spec=0
        options block flags=optional
          count integer
          withscores pure-token token=WITHSCORES flags=optional
      zrange sorted-set 1.2.0 Return a range of members in a sorted set|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.
        =history 6.2.0 Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.
        key key key_spec=0
        start string
        stop string
        sortby oneof since=6.2.0 flags=optional
          byscore pure-token token=BYSCORE
          bylex pure-token token=BYLEX
        rev pure-token token=REV since=6.2.0 flags=optional
        offset_count block token=LIMIT since=6.2.0 flags=optional
          offset integer
          count integer
        withscores pure-token token=WITHSCORES flags=optional
      zrangebylex sorted-set 2.8.9 Return a range of members in a sorted set, by lexicographical range|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `ZRANGE` with the `BYLEX` argument
        key key key_spec=0
        min string
        max string
        offset_count block token=LIMIT flags=optional
          offset integer
          count integer
      zrangebyscore sorted-set 1.0.5 Return a range of members in a sorted set, by score|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `ZRANGE` with the `BYSCORE` argument
        =history 2.0.0 Added the `WITHSCORES` modifier.
        key key key_spec=0
        min double
        max double
        withscores pure-token token=WITHSCORES since=2.0.0 flags=optional
        offset_count block token=LIMIT flags=optional
          offset integer
          count integer
      zrangestore sorted-set 6.2.0 Store a range of members from sorted set into another key|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.
        dst key key_spec=0
        src key key_spec=1
        min string
        max string
        sortby oneof flags=optional
          byscore pure-token token=BYSCORE
          bylex pure-token token=BYLEX
        rev pure-token token=REV flags=optional
        offset_count block token=LIMIT flags=optional
          offset integer
          count integer
      zrank sorted-set 2.0.0 Determine the index of a member in a sorted set|O(log(N))
        key key key_spec=0
        member string
      zrem sorted-set 1.2.0 Remove one or more members from a sorted set|O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.
        =history 2.4.0 Accepts multiple elements.
        key key key_spec=0
        member string flags=multiple
      zremrangebylex sorted-set 2.8.9 Remove all members in a sorted set between the given lexicographical range|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.
        key key key_spec=0
        min string
        max string
      zremrangebyrank sorted-set 2.0.0 Remove all members in a sorted set within the given indexes|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.
        key key key_spec=0
        start integer
        stop integer
      zremrangebyscore sorted-set 1.2.0 Remove all members in a sorted set within the given scores|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.
        key key key_spec=0
        min double
        max double
      zrevrange sorted-set 1.2.0 Return a range of members in a sorted set, by index, with scores ordered from high to low|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `ZRANGE` with the `REV` argument
        key key key_spec=0
        start integer
        stop integer
        withscores pure-token token=WITHSCORES flags=optional
      zrevrangebylex sorted-set 2.8.9 Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `ZRANGE` with the `REV` and `BYLEX` arguments
        key key key_spec=0
        max string
        min string
        offset_count block token=LIMIT flags=optional
          offset integer
          count integer
      zrevrangebyscore sorted-set 2.2.0 Return a range of members in a sorted set, by score, with scores ordered from high to low|O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).
        =doc_flags deprecated
        =deprecated_since 6.2.0
        =replaced_by `ZRANGE` with the `REV` and `BYSCORE` arguments
        =history 2.1.6 `min` and `max` can be exclusive.
        key key key_spec=0
        max double
        min double
        withscores pure-token token=WITHSCORES flags=optional
        offset_count block token=LIMIT flags=optional
          offset integer
          count integer
      zrevrank sorted-set 2.0.0 Determine the index of a member in a sorted set, with scores ordered from high to low|O(log(N))
        key key key_spec=0
        member string
      zscan sorted-set 2.8.0 Incrementally iterate sorted sets elements and associated scores|O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..
        key key key_spec=0
        cursor integer
        pattern pattern token=MATCH flags=optional
        count integer token=COUNT flags=optional
      zscore sorted-set 1.2.0 Get the score associated with the given member in a sorted set|O(1)
        key key key_spec=0
        member string
      zunion sorted-set 6.2.0 Add multiple sorted sets|O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.
        numkeys integer
        key key key_spec=0 flags=multiple
        weight integer token=WEIGHTS flags=optional,multiple
        aggregate oneof token=AGGREGATE flags=optional
          sum pure-token token=SUM
          min pure-token token=MIN
          max pure-token token=MAX
        withscores pure-token token=WITHSCORES flags=optional
      zunionstore sorted-set 2.0.0 Add multiple sorted sets and store the resulting sorted set in a new key|O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.
        destination key key_spec=0
        numkeys integer
        key key key_spec=1 flags=multiple
        weight integer token=WEIGHTS flags=optional,multiple
        aggregate oneof token=AGGREGATE flags=optional
          sum pure-token token=SUM
          min pure-token token=MIN
          max pure-token token=MAX
      """;
}
