package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import org.akkaredis.resp.Reply;

/**
 * One key specification of a command, as COMMAND INFO shows it and the key finder applies it. begin_search is
 * index, keyword or unknown; find_keys is range (lastKey, keyStep, limit), keynum (keyNumIdx, firstKey,
 * keyStep) or unknown. The fields a type does not use are 0 (null for keyword and notes).
 */
public record KeySpec(List<String> flags, String beginType, int index, String keyword, int startFrom,
    String findType, int lastKey, int keyStep, int limit, int keyNumIdx, int firstKey, String notes) {

  public boolean hasFlag(String flag) {
    return flags.contains(flag);
  }

  /** The specification's map, fields in Redis's order (addReplyCommandKeySpecs). */
  Reply reply() {
    List<Reply> map = new ArrayList<>();
    if (notes != null) {
      map.add(Reply.bulk("notes"));
      map.add(Reply.bulk(notes));
    }
    List<Reply> flagReplies = new ArrayList<>();
    for (String flag : flags) flagReplies.add(Reply.simple(flag));
    map.add(Reply.bulk("flags"));
    map.add(new Reply.SetReply(flagReplies));
    List<Reply> begin = switch (beginType) {
      case "index" -> List.of(Reply.bulk("index"), Reply.integer(index));
      case "keyword" -> List.of(Reply.bulk("keyword"), Reply.bulk(keyword), Reply.bulk("startfrom"),
          Reply.integer(startFrom));
      default -> List.of();
    };
    map.add(Reply.bulk("begin_search"));
    map.add(Reply.map(List.of(Reply.bulk("type"), Reply.bulk(beginType), Reply.bulk("spec"), Reply.map(begin))));
    List<Reply> find = switch (findType) {
      case "range" -> List.of(Reply.bulk("lastkey"), Reply.integer(lastKey), Reply.bulk("keystep"),
          Reply.integer(keyStep), Reply.bulk("limit"), Reply.integer(limit));
      case "keynum" -> List.of(Reply.bulk("keynumidx"), Reply.integer(keyNumIdx), Reply.bulk("firstkey"),
          Reply.integer(firstKey), Reply.bulk("keystep"), Reply.integer(keyStep));
      default -> List.of();
    };
    map.add(Reply.bulk("find_keys"));
    map.add(Reply.map(List.of(Reply.bulk("type"), Reply.bulk(findType), Reply.bulk("spec"), Reply.map(find))));
    return Reply.map(map);
  }
}
