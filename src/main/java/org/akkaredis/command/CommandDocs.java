package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import org.akkaredis.resp.Reply;

/**
 * What COMMAND DOCS shows of a command, and how it renders it: Redis 7.0.15's documentation, read with the
 * rest of the command's metadata from {@link CommandCatalog}'s data. Clients read it: redis-cli builds its
 * argument hints from "arguments".
 */
public final class CommandDocs {
  private CommandDocs() {}

  /** One argument as COMMAND DOCS describes it; keySpecIndex is -1 when the argument is no key. */
  public record Argument(String name, String type, int keySpecIndex, String token, String since,
      String deprecatedSince, List<String> flags, List<Argument> arguments) {

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
  public record Change(String version, String description) {}

  /** A command's documentation; complexity, deprecatedSince and replacedBy may be null. */
  public record Doc(String summary, String since, String group, String complexity, List<String> docFlags,
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
}
