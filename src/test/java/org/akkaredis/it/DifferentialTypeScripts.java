package org.akkaredis.it;

import static org.akkaredis.it.support.Comparison.mapIgnoringValuesOf;
import static org.akkaredis.it.support.Comparison.unordered;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.akkaredis.it.support.Comparison;
import org.akkaredis.it.support.Script;

/**
 * The differential scripts for lists, sets and sorted sets: one script per type walking every command and its
 * errors, and long generated sequences over all three (fixed seeds). A hashtable-encoded set answers in its hash
 * table's order, so replies listing set members are compared as multisets.
 */
final class DifferentialTypeScripts {
  private DifferentialTypeScripts() {}

  private static final Comparison UNORDERED = unordered("a hashtable-encoded set lists members in its own order");

  static List<Script> all() {
    return List.of(sets(), lists(), sortedSets(), generated(20261125L, 3000, 2), generated(7L, 3000, 3));
  }

  static Script sets() {
    return new Script("sets: every S* command, intset and hashtable")
        .cmd("sadd", "{t}s", "3", "1", "2")
        .cmd("sadd", "{t}s", "2", "5")
        .cmd("object", "encoding", "{t}s")
        .cmd("smembers", "{t}s")
        .cmd("scard", "{t}s")
        .cmd("sismember", "{t}s", "1")
        .cmd("smismember", "{t}s", "1", "9")
        .cmd("sadd", "{t}h", "a", "b", "c")
        .cmd("object", "encoding", "{t}h")
        .cmd("sadd", "{t}s", "x")
        .cmd("object", "encoding", "{t}s")
        .cmd("srem", "{t}s", "x", "1")
        .cmd("srem", "{t}s", "nope")
        .cmd("spop", "{t}nokey")
        .cmd("spop", "{t}nokey", "3")
        .cmd("spop", "{t}s", "-1")
        .cmd("spop", "{t}s", "abc")
        .cmd("spop", "{t}s", "0")
        .cmd("srandmember", "{t}s", "-9223372036854775808")
        .cmd("srandmember", "{t}s", "abc")
        .cmd("srandmember", "{t}nokey", "3")
        .cmd("srandmember", "{t}nokey")
        .cmd("srandmember", "{t}s", "0")
        .cmd(UNORDERED, "srandmember", "{t}s", "100")
        .cmd("sintercard", "0", "a")
        .cmd("sintercard", "2", "a")
        .cmd("sintercard", "1", "{t}s", "limit", "-1")
        .cmd("sintercard", "1", "{t}s", "limit", "x")
        .cmd("sintercard", "1", "{t}s", "foo")
        .cmd("sintercard", "x", "s")
        .cmd("sintercard", "1", "{t}s")
        .cmd("sintercard", "1", "{t}s", "limit", "1")
        .cmd("sadd", "{t}i1", "1", "2", "3", "4", "5")
        .cmd("sadd", "{t}i2", "3", "4", "5", "6", "7")
        .cmd("sinter", "{t}i1", "{t}i2")
        .cmd("sunion", "{t}i1", "{t}i2")
        .cmd("sdiff", "{t}i1", "{t}i2")
        .cmd("sdiff", "{t}i2", "{t}i1")
        .cmd("sinterstore", "{t}d", "{t}i1", "{t}i2")
        .cmd("object", "encoding", "{t}d")
        .cmd("smembers", "{t}d")
        .cmd("sunionstore", "{t}d", "{t}i1", "{t}i2", "{t}h")
        .cmd("scard", "{t}d")
        .cmd("sdiffstore", "{t}d", "{t}nokey", "{t}i1")
        .cmd("exists", "{t}d")
        .cmd("smove", "{t}i1", "{t}i2", "1")
        .cmd("smove", "{t}i1", "{t}i2", "99")
        .cmd("smove", "{t}i1", "{t}i1", "2")
        .cmd("smove", "{t}i1", "{t}new", "2")
        .cmd("smembers", "{t}new")
        .cmd("smembers", "{t}i1")
        .cmd("smembers", "{t}i2")
        .cmd("sinter", "{t}s", "{t}nokey")
        .cmd("sunion", "{t}s", "{t}nokey")
        .cmd("sdiff", "{t}nokey", "{t}s")
        .cmd("sinterstore", "{t}d", "{t}nokey", "{t}s")
        .cmd("sscan", "{t}i1", "0")
        .cmd("sscan", "{t}i1", "0", "count", "0")
        .cmd("sscan", "{t}i1", "x")
        .cmd("sscan", "{t}i1", "0", "type", "string")
        .cmd("sscan", "{t}i1", "0", "match", "3*")
        .cmd("set", "{t}str", "x")
        .cmd("sinter", "{t}s", "{t}str")
        .cmd("sinter", "{t}nokey", "{t}str")
        .cmd("sintercard", "2", "{t}nokey", "{t}str")
        .cmd("sadd", "{t}str", "a")
        .cmd("sinterstore", "{t}str", "{t}i1")
        .cmd("type", "{t}str")
        .cmd("srem", "{t}str", "3", "4", "5")
        .cmd("exists", "{t}str")
        .cmd("type", "{t}new")
        .cmd("config", "set", "set-max-intset-entries", "3")
        .cmd("sadd", "{t}big", "1", "2", "3")
        .cmd("object", "encoding", "{t}big")
        .cmd("sadd", "{t}big", "4")
        .cmd("object", "encoding", "{t}big")
        .cmd("sadd", "{t}one", "x")
        .cmd("spop", "{t}one")
        .cmd("exists", "{t}one")
        .cmd(UNORDERED, "spop", "{t}i2", "10")
        .cmd("exists", "{t}i2")
        .cmd("sadd", "{t}e", "1")
        .cmd("spop", "{t}e", "1")
        .cmd("exists", "{t}e")
        .cmd("config", "set", "set-max-intset-entries", "512");
  }

  static Script lists() {
    return new Script("lists: every L* command, and the blocking ones where they need not wait long")
        .cmd("rpush", "{t}l", "a", "b", "c", "a", "b")
        .cmd("object", "encoding", "{t}l")
        .cmd("lpop", "{t}l", "-1")
        .cmd("lpop", "{t}l", "abc")
        .cmd("lpop", "{t}l", "0")
        .cmd("lpop", "{t}nokey", "0")
        .cmd("lpop", "{t}nokey", "2")
        .cmd("lpop", "{t}l", "1", "2")
        .cmd("rpop", "{t}l", "2")
        .cmd("lrange", "{t}l", "0", "-1")
        .cmd("lindex", "{t}l", "x")
        .cmd("lindex", "{t}l", "-1")
        .cmd("lindex", "{t}l", "5")
        .cmd("lset", "{t}nokey", "0", "x")
        .cmd("lset", "{t}l", "99", "x")
        .cmd("lset", "{t}l", "x", "x")
        .cmd("lset", "{t}l", "-1", "z")
        .cmd("linsert", "{t}l", "middle", "a", "x")
        .cmd("linsert", "{t}l", "before", "zz", "x")
        .cmd("linsert", "{t}nokey", "before", "a", "x")
        .cmd("linsert", "{t}l", "after", "a", "x")
        .cmd("linsert", "{t}l", "before", "a", "y")
        .cmd("lrange", "{t}l", "0", "-1")
        .cmd("lrem", "{t}l", "x", "a")
        .cmd("rpush", "{t}l", "a", "a", "b", "a")
        .cmd("lrem", "{t}l", "-2", "a")
        .cmd("lrange", "{t}l", "0", "-1")
        .cmd("lrem", "{t}l", "0", "a")
        .cmd("lrange", "{t}l", "0", "-1")
        .cmd("lrem", "{t}l", "1", "z")
        .cmd("rpush", "{t}p", "a", "b", "c", "a", "b", "c", "a")
        .cmd("lpos", "{t}p", "a", "rank", "0")
        .cmd("lpos", "{t}p", "a", "rank", "-9223372036854775808")
        .cmd("lpos", "{t}p", "a", "count", "-1")
        .cmd("lpos", "{t}p", "a", "maxlen", "-1")
        .cmd("lpos", "{t}p", "a", "foo", "1")
        .cmd("lpos", "{t}p", "a", "rank")
        .cmd("lpos", "{t}p", "zz")
        .cmd("lpos", "{t}p", "zz", "count", "0")
        .cmd("lpos", "{t}p", "a", "count", "0")
        .cmd("lpos", "{t}p", "a", "count", "2")
        .cmd("lpos", "{t}p", "a", "rank", "2")
        .cmd("lpos", "{t}p", "a", "rank", "-1", "count", "2")
        .cmd("lpos", "{t}p", "a", "rank", "2", "count", "0", "maxlen", "4")
        .cmd("lpos", "{t}p", "c", "rank", "-2")
        .cmd("lpos", "{t}nokey", "a")
        .cmd("lpos", "{t}nokey", "a", "count", "1")
        .cmd("lmove", "{t}p", "{t}l2", "up", "down")
        .cmd("lmove", "{t}p", "{t}l2", "left", "right")
        .cmd("lmove", "{t}p", "{t}l2", "right", "left")
        .cmd("lrange", "{t}l2", "0", "-1")
        .cmd("lmove", "{t}p", "{t}p", "left", "right")
        .cmd("lrange", "{t}p", "0", "-1")
        .cmd("lmpop", "0", "p", "left")
        .cmd("lmpop", "1", "{t}p", "middle")
        .cmd("lmpop", "1", "{t}p", "middle", "count", "0")
        .cmd("lmpop", "1", "{t}p", "left", "count", "0")
        .cmd("lmpop", "1", "{t}p", "left", "count", "-1")
        .cmd("lmpop", "1", "{t}p", "left", "count", "1", "count", "2")
        .cmd("lmpop", "2", "{t}p", "{t}left")
        .cmd("lmpop", "1", "{t}nokey", "left")
        .cmd("lmpop", "1", "{t}p", "left", "foo")
        .cmd("lmpop", "2", "{t}nokey", "{t}p", "right", "count", "2")
        .cmd("lmpop", "1", "{t}p", "left", "count", "10")
        .cmd("exists", "{t}p")
        .cmd("ltrim", "{t}l", "x", "1")
        .cmd("lrange", "{t}l", "x", "1")
        .cmd("rpush", "{t}t", "1", "2", "3", "4", "5", "6")
        .cmd("ltrim", "{t}t", "1", "-2")
        .cmd("lrange", "{t}t", "0", "-1")
        .cmd("ltrim", "{t}t", "5", "1")
        .cmd("exists", "{t}t")
        .cmd("ltrim", "{t}nokey", "0", "1")
        .cmd("rpush", "{t}t", "1", "2", "3")
        .cmd("lrange", "{t}t", "-100", "100")
        .cmd("lrange", "{t}t", "2", "1")
        .cmd("lrange", "{t}t", "5", "10")
        .cmd("set", "{t}str", "x")
        .cmd("lpush", "{t}str", "a")
        .cmd("lpushx", "{t}nokey", "a")
        .cmd("lpushx", "{t}str", "a")
        .cmd("rpushx", "{t}t", "x", "y")
        .cmd("lrange", "{t}t", "0", "-1")
        .cmd("lmove", "{t}nokey", "{t}l", "left", "left")
        .cmd("lmove", "{t}str", "{t}l", "left", "left")
        .cmd("lmove", "{t}t", "{t}str", "left", "left")
        .cmd("rpoplpush", "{t}t", "{t}t")
        .cmd("rpoplpush", "{t}t", "{t}t2")
        .cmd("llen", "{t}t")
        .cmd("llen", "{t}str")
        .cmd("llen", "{t}nokey")
        .cmd("lmpop", "2", "{t}str", "{t}t", "left")
        .cmd("lmpop", "2", "{t}nokey", "{t}str", "left")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO", "3")
        .cmd("lmpop", "1", "{t}nokey", "left")
        .cmd("lpop", "{t}nokey", "1")
        .cmd("lpos", "{t}nokey", "a", "count", "0")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO", "2")
        .cmd("blpop", "{t}nokey", "0.01")
        .cmd("brpop", "{t}nokey", "{t}nokey2", "0.01")
        .cmd("blpop", "{t}nokey", "x")
        .cmd("blpop", "{t}nokey", "-1")
        .cmd("blpop", "{t}nokey", "nan")
        .cmd("rpush", "{t}bl", "a", "b")
        .cmd("blpop", "{t}nokey", "{t}bl", "0")
        .cmd("brpop", "{t}bl", "0")
        .cmd("set", "{t}str", "x")
        .cmd("blpop", "{t}str", "0")
        .cmd("blpop", "{t}nokey", "{t}str", "0")
        .cmd("blmove", "{t}nokey", "{t}bl", "left", "left", "0.01")
        .cmd("blmove", "{t}bl2", "{t}bl", "up", "left", "0")
        .cmd("rpush", "{t}bl", "x")
        .cmd("blmove", "{t}bl", "{t}bl2", "left", "right", "0")
        .cmd("brpoplpush", "{t}bl2", "{t}bl", "0")
        .cmd("blmpop", "0.01", "1", "{t}nokey", "left")
        .cmd("blmpop", "0", "2", "{t}nokey", "{t}bl", "right", "count", "5")
        .cmd("blmpop", "0", "0", "bl", "left")
        .cmd("blmpop", "x", "1", "{t}bl", "left")
        .cmd("zadd", "{t}bz", "1", "a", "2", "b")
        .cmd("bzpopmin", "{t}nokey", "{t}bz", "0")
        .cmd("bzpopmax", "{t}bz", "0")
        .cmd("bzpopmin", "{t}bz", "0.01")
        .cmd("bzmpop", "0.01", "1", "{t}bz", "min")
        .cmd("bzmpop", "0", "1", "{t}str", "min");
  }

  static Script sortedSets() {
    return new Script("sorted sets: every Z* command, listpack and skiplist, score formatting")
        .cmd("zadd", "{t}z", "1", "a", "2", "b", "3", "c")
        .cmd("zadd", "{t}z", "nx", "xx", "1", "a")
        .cmd("zadd", "{t}z", "gt", "lt", "1", "a")
        .cmd("zadd", "{t}z", "gt", "nx", "1", "a")
        .cmd("zadd", "{t}z", "incr", "1", "a", "2", "b")
        .cmd("zadd", "{t}z", "nx", "1")
        .cmd("zadd", "{t}z", "abc", "a")
        .cmd("zadd", "{t}z", "nan", "a")
        .cmd("zadd", "{t}z", "1e400", "a")
        .cmd("zadd", "{t}z", " 1", "a")
        .cmd("zadd", "{t}z", "0x10", "hex")
        .cmd("zscore", "{t}z", "hex")
        .cmd("zadd", "{t}z", "inf", "i", "-inf", "ni")
        .cmd("zadd", "{t}z", "incr", "inf", "i")
        .cmd("zadd", "{t}z", "incr", "-inf", "i")
        .cmd("zincrby", "{t}z", "abc", "a")
        .cmd("zrangebyscore", "{t}z", "(1", "abc")
        .cmd("zrangebyscore", "{t}z", " 1", "5")
        .cmd("zrangebyscore", "{t}z", "1e400", "inf")
        .cmd("zrangebylex", "{t}z", "a", "b")
        .cmd("zrangebylex", "{t}z", "[a", "(b")
        .cmd("zrange", "{t}z", "0", "-1", "bylex")
        .cmd("zrange", "{t}z", "0", "-1", "byscore")
        .cmd("zrange", "{t}z", "0", "-1", "limit", "0", "1")
        .cmd("zrange", "{t}z", "0", "-1", "withscores", "bylex")
        .cmd("zrange", "{t}z", "[a", "+", "bylex", "withscores")
        .cmd("zrange", "{t}z", "0", "-1", "rev", "rev")
        .cmd("zrange", "{t}z", "x", "1")
        .cmd("zrangebyscore", "{t}z", "0", "10", "limit", "x", "1")
        .cmd("zrangebyscore", "{t}z", "0", "10", "limit", "0")
        .cmd("zrangebyscore", "{t}z", "0", "10", "foo")
        .cmd("zrangebylex", "{t}z", "-", "+", "withscores")
        .cmd("zcount", "{t}z", "x", "1")
        .cmd("zlexcount", "{t}z", "x", "1")
        .cmd("zrandmember", "{t}z", "-9223372036854775808")
        .cmd("zrandmember", "{t}z", "-3", "foo")
        .cmd("zrandmember", "{t}z", "x")
        .cmd("zpopmin", "{t}z", "-1")
        .cmd("zpopmin", "{t}z", "x")
        .cmd("zpopmin", "{t}z", "0")
        .cmd("zmpop", "1", "{t}z", "foo")
        .cmd("zunion", "0", "z")
        .cmd("zunion", "1", "{t}z", "weights")
        .cmd("zunion", "1", "{t}z", "weights", "x")
        .cmd("zunion", "1", "{t}z", "aggregate", "foo")
        .cmd("zunionstore", "d", "0", "z")
        .cmd("zinterstore", "{t}d", "1", "{t}z", "withscores")
        .cmd("zinter", "1", "{t}z", "withscores")
        .cmd("zdiff", "1", "{t}z", "withscores")
        .cmd("zdiff", "1", "{t}z", "weights", "1")
        .cmd("zintercard", "1", "{t}z", "limit", "-1")
        .cmd("zintercard", "0", "z")
        .cmd("zremrangebyrank", "{t}z", "x", "1")
        .cmd("zremrangebyscore", "{t}z", "x", "1")
        .cmd("zremrangebylex", "{t}z", "x", "1")
        .cmd("zscan", "{t}z", "0", "count", "0")
        .cmd("zunionstore", "{t}d", "1", "{t}nokey")
        .cmd("exists", "{t}d")
        .cmd("zrangestore", "{t}d", "{t}z", "0", "-1", "withscores")
        .cmd("zrangestore", "{t}d", "{t}nokey", "0", "-1")
        .cmd("zrangestore", "{t}d", "{t}z", "0", "-1")
        .cmd("zrevrange", "{t}z", "0", "-1", "withscores")
        .cmd("zrevrangebyscore", "{t}z", "+inf", "-inf", "limit", "1", "2", "withscores")
        .cmd("zrevrangebylex", "{t}z", "+", "-", "limit", "1", "2")
        .cmd("zrank", "z", "x", "y")
        .cmd("zadd", "{t}z", "1.5e300", "big", "-0", "negz", "1.1", "d", "0.1", "e", "1e-7", "f", "123456789012345678",
            "g")
        .cmd("zrange", "{t}z", "0", "-1", "withscores")
        .cmd("zscan", "{t}z", "0")
        .cmd("zincrby", "{t}z", "1", "nope")
        .cmd("zcount", "{t}z", "-inf", "+inf")
        .cmd("zcount", "{t}z", "(1", "3")
        .cmd("zcount", "{t}z", "3", "1")
        .cmd("zrank", "{t}z", "c")
        .cmd("zrevrank", "{t}z", "c")
        .cmd("zrank", "{t}z", "nope")
        .cmd("zrem", "{t}z", "a", "b", "nope")
        .cmd("zremrangebyrank", "{t}z", "0", "1")
        .cmd("zremrangebyscore", "{t}z", "(2", "5")
        .cmd("zrange", "{t}z", "0", "-1", "withscores")
        .cmd("zadd", "{t}lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e")
        .cmd("zrangebylex", "{t}lex", "[b", "(d")
        .cmd("zrevrangebylex", "{t}lex", "(d", "[b")
        .cmd("zrangebylex", "{t}lex", "-", "+", "limit", "1", "2")
        .cmd("zlexcount", "{t}lex", "[b", "+")
        .cmd("zlexcount", "{t}lex", "+", "-")
        .cmd("zremrangebylex", "{t}lex", "[a", "[b")
        .cmd("zrange", "{t}lex", "0", "-1")
        .cmd("object", "encoding", "{t}z")
        .cmd("del", "{t}z")
        .cmd("zadd", "{t}z", "1", "a", "2", "b", "3", "c")
        .cmd("zpopmin", "{t}z", "1", "2")
        .cmd("zmpop", "1", "{t}z", "min", "count", "2")
        .cmd("zpopmax", "{t}z", "1")
        .cmd("zadd", "{t}z", "1", "a", "2", "b", "3", "c")
        .cmd("zintercard", "x", "z")
        .cmd("zintercard", "3", "z")
        .cmd("zintercard", "1", "{t}z", "foo")
        .cmd("zintercard", "1", "{t}z")
        .cmd("zunion", "x", "z")
        .cmd("zunion", "3", "z")
        .cmd("zunionstore", "d", "2", "z")
        .cmd("set", "{t}str", "x")
        .cmd("zunion", "1", "{t}str", "weights", "x")
        .cmd("zunion", "2", "{t}z", "{t}str")
        .cmd("zinter", "2", "{t}z", "{t}nokey")
        .cmd("zinter", "1", "{t}z", "weights", "2", "aggregate", "max", "withscores")
        .cmd("zadd", "{t}zs", "1", "a")
        .cmd("sadd", "{t}st", "a", "b")
        .cmd("zunion", "2", "{t}zs", "{t}st", "withscores")
        .cmd("zinterstore", "{t}d", "2", "{t}zs", "{t}st", "weights", "2", "3")
        .cmd("zrange", "{t}d", "0", "-1", "withscores")
        .cmd("zunionstore", "{t}d", "2", "{t}zs", "{t}st", "aggregate", "min")
        .cmd("zrange", "{t}d", "0", "-1", "withscores")
        .cmd("zdiffstore", "{t}d", "2", "{t}st", "{t}zs")
        .cmd("zrange", "{t}d", "0", "-1", "withscores")
        .cmd("zrandmember", "{t}z", "3", "withscores")
        .cmd("zrandmember", "{t}nokey")
        .cmd("zrandmember", "{t}nokey", "2")
        .cmd("zrandmember", "{t}z", "0")
        .cmd("zscore", "{t}nokey", "a")
        .cmd("zmscore", "{t}nokey", "a", "b")
        .cmd("zrank", "{t}nokey", "a")
        .cmd("zcard", "{t}nokey")
        .cmd("zcount", "{t}nokey", "0", "1")
        .cmd("zrem", "{t}nokey", "a")
        .cmd("zrangebyscore", "{t}z", "1", "3", "limit", "-1", "2")
        .cmd("zrangebyscore", "{t}z", "1", "3", "limit", "1", "-1")
        .cmd("zrangebyscore", "{t}z", "1", "3", "limit", "1", "0")
        .cmd("zrange", "{t}z", "(1", "3", "byscore", "limit", "0", "1", "withscores")
        .cmd("zrange", "{t}z", "3", "1", "byscore", "rev", "withscores")
        .cmd("zrange", "{t}z", "+", "-", "bylex", "rev")
        .cmd("zrange", "{t}z", "-", "+", "bylex", "limit", "1", "1")
        .cmd("zrange", "{t}z", "+", "+", "bylex")
        .cmd("zrange", "{t}z", "(a", "(a", "bylex")
        .cmd("zadd", "{t}z", "incr", "1", "nope", "xx")
        .cmd("zadd", "{t}nokey", "xx", "incr", "1", "a")
        .cmd("zadd", "{t}nokey", "xx", "1", "a")
        .cmd("zadd", "{t}z", "ch", "5", "a", "2", "b", "9", "new")
        .cmd("zadd", "{t}z", "gt", "ch", "1", "a", "10", "b")
        .cmd("zadd", "{t}z", "lt", "0", "c")
        .cmd("zadd", "{t}z", "gt", "incr", "-1", "a")
        .cmd("zrange", "{t}z", "0", "-1", "withscores")
        .cmd("zadd", "{t}str", "1", "a")
        .cmd("zrange", "{t}str", "0", "1")
        .cmd("zadd", "{t}big", "1", "a".repeat(84))
        .cmd("object", "encoding", "{t}big")
        .cmd("zadd", "{t}y", "1", "a", "1", "a", "1", "a")
        .cmd("object", "encoding", "{t}y")
        .cmd("config", "set", "zset-max-listpack-entries", "2")
        .cmd("zadd", "{t}w", "1", "a", "2", "b", "3", "c")
        .cmd("object", "encoding", "{t}w")
        .cmd("zadd", "{t}v", "1", "a", "1", "a", "1", "a")
        .cmd("object", "encoding", "{t}v")
        .cmd("zadd", "{t}u", "1", "a", "2", "b")
        .cmd("zadd", "{t}u", "3", "c")
        .cmd("object", "encoding", "{t}u")
        .cmd("zrangestore", "{t}d", "{t}u", "0", "1")
        .cmd("object", "encoding", "{t}d")
        .cmd("zrangestore", "{t}d", "{t}w", "0", "1")
        .cmd("object", "encoding", "{t}d")
        .cmd("zadd", "{t}negz", "-0", "x")
        .cmd("zscore", "{t}negz", "x")
        .cmd("config", "set", "zset-max-listpack-entries", "0")
        .cmd("zadd", "{t}negz3", "-0", "x")
        .cmd("zscore", "{t}negz3", "x")
        .cmd("object", "encoding", "{t}negz3")
        .cmd("zscan", "{t}negz3", "0")
        .cmd("config", "set", "zset-max-listpack-entries", "128")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO", "3")
        .cmd("zrange", "{t}z", "0", "-1", "withscores")
        .cmd("zpopmin", "{t}z")
        .cmd("zpopmin", "{t}z", "1")
        .cmd("zpopmax", "{t}z", "2")
        .cmd("zadd", "{t}z", "1", "a", "2", "b", "3", "c", "1.1", "d")
        .cmd("zscore", "{t}z", "d")
        .cmd("zmscore", "{t}z", "a", "nope")
        .cmd("zincrby", "{t}z", "1", "a")
        .cmd("zadd", "{t}z", "incr", "1", "a")
        .cmd("zmpop", "1", "{t}z", "min")
        .cmd("zmpop", "1", "{t}z", "max", "count", "2")
        .cmd("zunion", "2", "{t}z", "{t}z", "withscores")
        .cmd("zscan", "{t}z", "0")
        .cmd("zrangebyscore", "{t}z", "-inf", "+inf", "withscores")
        .cmd("zpopmin", "{t}nokey")
        .cmd("zpopmin", "{t}nokey", "2")
        .cmd("zmpop", "1", "{t}nokey", "min")
        .cmd("zrank", "{t}z", "nope")
        .cmd("zrandmember", "{t}z", "10", "withscores");
  }


  private static final String[] KEYS = {"{t}a", "{t}b", "{t}c", "{t}d"};
  private static final String[] MEMBERS =
      {"m0", "m1", "m2", "m3", "m4", "m5", "", "1", "2", "-3", "10", "x".repeat(70)};
  private static final String[] SCORES = {"0", "1", "-1", "2.5", "1e3", "-0.125", "+inf", "-inf", "3", "0.1", "abc",
      "(1", "1e-5", "7"};
  private static final String[] INDEXES = {"0", "1", "-1", "2", "-2", "5", "-100", "100", "x"};

  /**
   * A long random sequence over lists, sets and sorted sets on four keys, so that types collide (WRONGTYPE),
   * keys empty out and reappear, encodings convert (small limits are set first), and *STORE commands overwrite
   * keys of every type; in RESP2 or RESP3. Random replies are avoided: SPOP and SRANDMEMBER only where the
   * answer is forced.
   */
  static Script generated(long seed, int commands, int protocol) {
    Random random = new Random(seed);
    Script script = new Script("generated lists, sets and sorted sets (seed " + seed + ", RESP" + protocol + ")")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO",
            Integer.toString(protocol))
        .cmd("CONFIG", "SET", "set-max-intset-entries", "4")
        .cmd("CONFIG", "SET", "zset-max-listpack-entries", "5");
    for (int i = 0; i < commands; i++) {
      if (random.nextInt(60) == 0) {
        script.cmd("MULTI");
        for (int q = 0; q < 3; q++) randomCommand(random, script, true);
        script.cmd("EXEC");
      } else {
        randomCommand(random, script, false);
      }
    }
    for (String key : KEYS) script.cmd("TYPE", key).cmd("OBJECT", "ENCODING", key);
    return script.cmd("CONFIG", "SET", "set-max-intset-entries", "512")
        .cmd("CONFIG", "SET", "zset-max-listpack-entries", "128");
  }

  private static <T> T pick(Random random, T[] from) {
    return from[random.nextInt(from.length)];
  }

  /** One random command; inside MULTI none whose reply lists set members (EXEC's reply is compared exactly). */
  private static void randomCommand(Random r, Script s, boolean queued) {
    String k = pick(r, KEYS);
    String k2 = pick(r, KEYS);
    String m = pick(r, MEMBERS);
    String m2 = pick(r, MEMBERS);
    String sc = pick(r, SCORES);
    String sc2 = pick(r, SCORES);
    String i = pick(r, INDEXES);
    String j = pick(r, INDEXES);
    String side = r.nextBoolean() ? "LEFT" : "RIGHT";
    String side2 = r.nextBoolean() ? "LEFT" : "RIGHT";
    String lo = pick(r, new String[] {"-", "[m1", "(m2", "[", "+", "m"});
    String hi = pick(r, new String[] {"+", "[m3", "(m4", "-", "[m9"});
    int choice = r.nextInt(62);
    if (queued && (choice == 24 || choice == 26 || choice == 27 || choice == 28 || choice == 33)) choice = 21;
    switch (choice) {
      case 0, 1 -> s.cmd("RPUSH", k, m, m2);
      case 2 -> s.cmd("LPUSH", k, m);
      case 3 -> s.cmd("LPUSHX", k, m);
      case 4 -> s.cmd("RPUSHX", k, m, m2);
      case 5 -> s.cmd("LPOP", k);
      case 6 -> s.cmd("RPOP", k, i);
      case 7 -> s.cmd("LLEN", k);
      case 8 -> s.cmd("LRANGE", k, i, j);
      case 9 -> s.cmd("LINDEX", k, i);
      case 10 -> s.cmd("LSET", k, i, m);
      case 11 -> s.cmd("LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", m, m2);
      case 12 -> s.cmd("LREM", k, i, m);
      case 13 -> s.cmd("LTRIM", k, i, j);
      case 14 -> s.cmd("LPOS", k, m, "RANK", i, "COUNT", j.replace("-", ""));
      case 15 -> s.cmd("LMOVE", k, k2, side, side2);
      case 16 -> s.cmd("RPOPLPUSH", k, k2);
      case 17 -> s.cmd("LMPOP", "2", k, k2, side, "COUNT", r.nextBoolean() ? "2" : "1");
      case 18, 19 -> s.cmd("SADD", k, m, m2);
      case 20 -> s.cmd("SREM", k, m, m2);
      case 21 -> s.cmd("SCARD", k);
      case 22 -> s.cmd("SISMEMBER", k, m);
      case 23 -> s.cmd("SMISMEMBER", k, m, m2);
      case 24 -> s.cmd(UNORDERED, "SMEMBERS", k);
      case 25 -> s.cmd("SMOVE", k, k2, m);
      case 26 -> s.cmd(UNORDERED, "SINTER", k, k2);
      case 27 -> s.cmd(UNORDERED, "SUNION", k, k2);
      case 28 -> s.cmd(UNORDERED, "SDIFF", k, k2);
      case 29 -> s.cmd("SINTERSTORE", k, k, k2);
      case 30 -> s.cmd("SUNIONSTORE", k2, k, k2);
      case 31 -> s.cmd("SDIFFSTORE", k, k2, k);
      case 32 -> s.cmd("SINTERCARD", "2", k, k2, "LIMIT", r.nextBoolean() ? "0" : "1");
      case 33 -> s.cmd(UNORDERED, "SRANDMEMBER", k, "1000");
      case 34, 35 -> s.cmd("ZADD", k, sc, m, sc2, m2);
      case 36 -> s.cmd("ZADD", k, pick(r, new String[] {"NX", "XX", "GT", "LT", "CH"}), sc, m);
      case 37 -> s.cmd("ZADD", k, "INCR", sc, m);
      case 38 -> s.cmd("ZINCRBY", k, sc, m);
      case 39 -> s.cmd("ZSCORE", k, m);
      case 40 -> s.cmd("ZMSCORE", k, m, m2);
      case 41 -> s.cmd("ZCARD", k);
      case 42 -> s.cmd("ZCOUNT", k, sc, sc2);
      case 43 -> s.cmd("ZRANGE", k, i, j, "WITHSCORES");
      case 44 -> s.cmd("ZRANGE", k, sc, sc2, "BYSCORE", "LIMIT", "0", r.nextBoolean() ? "2" : "-1", "WITHSCORES");
      case 45 -> s.cmd("ZRANGE", k, sc2, sc, "BYSCORE", "REV", "WITHSCORES");
      case 46 -> s.cmd("ZRANGEBYSCORE", k, sc, sc2);
      case 47 -> s.cmd("ZREVRANGE", k, i, j, "WITHSCORES");
      case 48 -> s.cmd("ZRANK", k, m);
      case 49 -> s.cmd("ZREVRANK", k, m);
      case 50 -> s.cmd("ZREM", k, m, m2);
      case 51 -> s.cmd("ZREMRANGEBYRANK", k, i, j);
      case 52 -> s.cmd("ZREMRANGEBYSCORE", k, sc, sc2);
      case 53 -> s.cmd(r.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", k, r.nextBoolean() ? "2" : "1");
      case 54 -> s.cmd("ZMPOP", "2", k, k2, r.nextBoolean() ? "MIN" : "MAX", "COUNT", "2");
      case 55 -> s.cmd("ZUNIONSTORE", k, "2", k, k2, "WEIGHTS", "2", sc, "AGGREGATE",
          pick(r, new String[] {"SUM", "MIN", "MAX"}));
      case 56 -> s.cmd("ZINTER", "2", k, k2, "WITHSCORES");
      case 57 -> s.cmd("ZDIFFSTORE", k2, "2", k, k2);
      case 58 -> s.cmd("ZRANGESTORE", k2, k, i, j);
      case 59 -> s.cmd("ZINTERCARD", "2", k, k2);
      case 60 -> s.cmd("ZADD", "{t}lex", "0", m).cmd("ZRANGEBYLEX", "{t}lex", lo, hi)
          .cmd("ZLEXCOUNT", "{t}lex", lo, hi);
      default -> s.cmd(r.nextBoolean() ? "DEL" : "TYPE", k);
    }
    if (r.nextInt(25) == 0) s.cmd("OBJECT", "ENCODING", k);
    if (r.nextInt(40) == 0) s.cmd("COPY", k, k2, "REPLACE");
    if (r.nextInt(50) == 0) s.cmd("RENAME", k, k2);
  }
}
