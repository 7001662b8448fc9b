package org.akkaredis.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespWriterTest {
  private static String encode(Reply reply, int protocol) {
    return new String(RespWriter.encode(reply, protocol), StandardCharsets.UTF_8);
  }

  @Test
  void scalars() {
    assertEquals("+OK\r\n", encode(Reply.OK, 2));
    assertEquals(":-42\r\n", encode(Reply.integer(-42), 2));
    assertEquals(":" + Long.MIN_VALUE + "\r\n", encode(Reply.integer(Long.MIN_VALUE), 2));
    assertEquals("$3\r\nbar\r\n", encode(Reply.bulk("bar"), 2));
    assertEquals("$0\r\n\r\n", encode(Reply.bulk(new byte[0]), 2));
    assertEquals("-ERR bad  thing\r\n", encode(Reply.error("ERR bad\r\nthing"), 2));
  }

  @Test
  void bigBulksJoinTheOutputUncopiedAmongBufferedParts() {
    byte[] big = new byte[RespWriter.SHARED_BULK_MIN];
    java.util.Arrays.fill(big, (byte) 'x');
    RespWriter writer = new RespWriter(16);
    writer.write(Reply.integer(1), 2);
    writer.write(Reply.bulk(big), 2);
    writer.write(Reply.array(Reply.bulk(big), Reply.OK), 3);
    String bigText = "x".repeat(big.length);
    String expected = ":1\r\n$" + big.length + "\r\n" + bigText + "\r\n*2\r\n$" + big.length + "\r\n" + bigText
        + "\r\n+OK\r\n";
    assertEquals(expected.length(), writer.length());
    assertEquals(expected, writer.take().utf8String());
    assertEquals(0, writer.length(), "take empties the writer");
    writer.write(Reply.OK, 2);
    assertEquals("+OK\r\n", writer.take().utf8String());
  }

  @Test
  void nullsDifferByProtocol() {
    assertEquals("$-1\r\n", encode(Reply.NULL, 2));
    assertEquals("*-1\r\n", encode(Reply.NULL_ARRAY, 2));
    assertEquals("_\r\n", encode(Reply.NULL, 3));
    assertEquals("_\r\n", encode(Reply.NULL_ARRAY, 3));
  }

  @Test
  void aggregatesDifferByProtocol() {
    Reply map = Reply.map(List.of(Reply.bulk("a"), Reply.integer(1)));
    assertEquals("*2\r\n$1\r\na\r\n:1\r\n", encode(map, 2));
    assertEquals("%1\r\n$1\r\na\r\n:1\r\n", encode(map, 3));
    Reply set = new Reply.SetReply(List.of(Reply.bulk("x")));
    assertEquals("*1\r\n$1\r\nx\r\n", encode(set, 2));
    assertEquals("~1\r\n$1\r\nx\r\n", encode(set, 3));
    assertEquals("$3\r\n1.5\r\n", encode(new Reply.Dbl("1.5"), 2));
    assertEquals(",1.5\r\n", encode(new Reply.Dbl("1.5"), 3));
    assertEquals(":1\r\n", encode(Reply.bool(true), 2));
    assertEquals("#t\r\n", encode(Reply.bool(true), 3));
    assertEquals("$5\r\nab\r\nc\r\n", encode(Reply.verbatim("ab\r\nc"), 2));
    assertEquals("=9\r\ntxt:ab\r\nc\r\n", encode(Reply.verbatim("ab\r\nc"), 3));
    assertEquals("$3\r\n123\r\n", encode(new Reply.BigNumber("123"), 2));
    assertEquals("(123\r\n", encode(new Reply.BigNumber("123"), 3));
  }

  @Test
  void anAttributeComesBeforeItsReplyInRespThreeOnly() {
    Reply attributed = new Reply.Attributed(List.of(Reply.bulk("k"), Reply.integer(7)), Reply.bulk("v"));
    assertEquals("$1\r\nv\r\n", encode(attributed, 2));
    assertEquals("|1\r\n$1\r\nk\r\n:7\r\n$1\r\nv\r\n", encode(attributed, 3));
  }

  @Test
  void aPushIsAnArrayInRespTwoAndComesBeforeTheReplyItPrecedes() {
    Reply.Push push = new Reply.Push(List.of(Reply.bulk("m"), Reply.integer(1)));
    assertEquals("*2\r\n$1\r\nm\r\n:1\r\n", encode(push, 2));
    assertEquals(">2\r\n$1\r\nm\r\n:1\r\n", encode(push, 3));
    assertEquals(">2\r\n$1\r\nm\r\n:1\r\n+OK\r\n", encode(new Reply.AfterPush(push, Reply.OK), 3));
  }

  @Test
  void takeStartsAgainEmpty() {
    RespWriter writer = new RespWriter(16);
    for (int i = 0; i < 100; i++) writer.write(Reply.integer(i), 2);
    assertEquals(":0\r\n", writer.take().utf8String().substring(0, 4));
    assertEquals(0, writer.length());
    writer.write(Reply.PONG, 2);
    assertEquals("+PONG\r\n", writer.take().utf8String());
  }
}
