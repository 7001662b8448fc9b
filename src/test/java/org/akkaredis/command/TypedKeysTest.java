package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/** The argument reading LMPOP, ZMPOP, BLMPOP and BZMPOP share. */
class TypedKeysTest {
  private static Object parse(String... args) {
    byte[][] a = new byte[args.length][];
    for (int i = 0; i < args.length; i++) a[i] = Args.bytes(args[i]);
    return TypedKeys.MpopArgs.parse(a, 1, "left", "right");
  }

  @Test
  void mpopArgumentsAreNumkeysKeysSideAndOneCount() {
    assertEquals(new TypedKeys.MpopArgs(4, true, 1), parse("lmpop", "2", "a", "b", "LEFT"));
    assertEquals(new TypedKeys.MpopArgs(3, false, 7), parse("lmpop", "1", "a", "right", "count", "7"));
    assertEquals(TypedKeys.NUMKEYS_NOT_POSITIVE, parse("lmpop", "0", "a", "left"));
    assertEquals(TypedKeys.NUMKEYS_NOT_POSITIVE, parse("lmpop", "x", "a", "left"));
    assertEquals(Reply.SYNTAX_ERROR, parse("lmpop", "2", "a", "left"), "fewer keys than numkeys");
    assertEquals(Reply.SYNTAX_ERROR, parse("lmpop", "1", "a", "up"));
    assertEquals(TypedKeys.COUNT_NOT_POSITIVE, parse("lmpop", "1", "a", "left", "count", "0"));
    assertEquals(TypedKeys.COUNT_NOT_POSITIVE, parse("lmpop", "1", "a", "left", "count", "+1"));
    assertEquals(Reply.SYNTAX_ERROR, parse("lmpop", "1", "a", "left", "count", "1", "count", "2"));
    assertEquals(Reply.SYNTAX_ERROR, parse("lmpop", "1", "a", "left", "count"));
  }
}
