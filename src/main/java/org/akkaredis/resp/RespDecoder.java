package org.akkaredis.resp;

import akka.util.ByteString;

import java.util.Arrays;
import java.util.List;
import org.akkaredis.text.RedisNumbers;
import org.akkaredis.text.SdsText;

/**
 * Incremental parser of client requests, byte-for-byte compatible with Redis 7.0's
 * processInlineBuffer / processMultibulkBuffer (networking.c), including their quirks:
 * <ul>
 *   <li>line searches stop at a NUL byte like strchr, so a NUL before the line terminator makes the
 *       decoder wait (and eventually fail with a "too big ..." error);</li>
 *   <li>the byte after the '\r' of a "*N" / "$N" line and the two bytes after a bulk payload are
 *       skipped without checking that they are "\n" / "\r\n";</li>
 *   <li>the "too big" limits apply to all unparsed bytes, not just the current line.</li>
 * </ul>
 * Not thread-safe: one instance per connection, used by one actor.
 */
public final class RespDecoder {
  /** PROTO_INLINE_MAX_SIZE: how much Redis buffers while waiting for an inline, count or length line to end. */
  private static final int INLINE_MAX_SIZE = 64 * 1024;
  /** PROTO_MBULK_BIG_ARG: incomplete bulks at least this big are moved out of the buffer as they arrive. */
  private static final int BIG_ARG = 32 * 1024;
  private static final int UNAUTHENTICATED_MAX_MULTIBULK_LEN = 10;
  private static final int UNAUTHENTICATED_MAX_BULK_LEN = 16 * 1024;
  /** Redis sizes argv as min(count, 1024) and grows it, so a claimed count costs nothing until its args arrive. */
  private static final int INITIAL_ARGS_CAPACITY = 1024;
  /** Largest array length every JVM allocates. */
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  private static final int INITIAL_BUFFER_SIZE = 16 * 1024;
  /** An empty buffer bigger than this is replaced so one burst does not pin memory for the connection's lifetime. */
  private static final int MAX_IDLE_BUFFER_SIZE = 256 * 1024;
  private static final byte[] EMPTY_ARG = new byte[0];
  private static final byte[][] NO_ARGS = new byte[0][];

  private final long protoMaxBulkLen;
  private final long queryBufferLimit;
  private boolean authenticated = true;

  // Bytes received and not yet consumed are buffer[readPos, writePos).
  private byte[] buffer = new byte[INITIAL_BUFFER_SIZE];
  private int readPos;
  private int writePos;
  /** Where the search for the pending line's terminator resumes, so a line arriving byte by byte is scanned once. */
  private int searchFrom;

  // The multibulk command being parsed; bulksRemaining == 0 means none (its "*N" line is not parsed yet).
  private int bulksRemaining;
  /** Length of the next argument, or -1 while its "$len" line is unread. */
  private int bulkLen = -1;
  private byte[][] args;
  private int argCount;
  /** A big argument still arriving; it grows with the data, never straight to the claimed length. */
  private byte[] bigArg;
  private int bigArgFilled;

  private ProtocolException failure;

  /**
   * @param protoMaxBulkLen  proto-max-bulk-len: longest accepted bulk argument
   * @param queryBufferLimit client-query-buffer-limit: most bytes buffered before the client is dropped
   */
  public RespDecoder(long protoMaxBulkLen, long queryBufferLimit) {
    this.protoMaxBulkLen = protoMaxBulkLen;
    this.queryBufferLimit = queryBufferLimit;
  }

  /** Appends one chunk read from the socket. Does not parse. */
  public void feed(ByteString chunk) {
    if (failure != null) {
      return; // the connection is closing; nothing more will be parsed
    }
    int length = chunk.length();
    if (length == 0) {
      return;
    }
    if (readPos == writePos) {
      readPos = writePos = searchFrom = 0;
    }
    if (buffer.length - writePos < length && !makeRoom(length)) {
      return;
    }
    chunk.copyToArray(buffer, writePos, length);
    writePos += length;
  }

  /**
   * Returns the next complete command as its arguments (args[0] is the command name), or null when more
   * input is needed. Empty commands (blank inline lines, "*0", "*-1") are skipped, never returned.
   * Throws ProtocolException with Redis's exact message text (without the "ERR " prefix) on malformed
   * input. After an exception the decoder is unusable: every later call throws the same exception.
   */
  public byte[][] next() throws ProtocolException {
    if (failure != null) {
      throw failure;
    }
    // Redis checks right after each read, before parsing anything from it.
    if ((long) (writePos - readPos) + bigArgFilled > queryBufferLimit) {
      throw fail("closing client that reached max query buffer length", true);
    }
    while (true) {
      if (bulksRemaining == 0) {
        if (readPos == writePos) {
          releaseIdleBuffer();
          return null;
        }
        if (buffer[readPos] == '*') {
          if (!readMultibulkCount()) {
            return null;
          }
          if (bulksRemaining == 0) {
            continue; // "*0" or a negative count: an empty command
          }
        } else {
          byte[][] inline = readInline();
          if (inline == null) {
            return null;
          }
          if (inline.length == 0) {
            continue;
          }
          return inline;
        }
      }
      return readBulks();
    }
  }

  /** Redis applies stricter limits before a client authenticates when requirepass is set; the caller flips this between commands. */
  public void setAuthenticated(boolean authenticated) {
    this.authenticated = authenticated;
  }

  /** Bytes received but not yet consumed (for CLIENT LIST qbuf), including a partly received big argument. */
  public int buffered() {
    return (int) Math.min((long) (writePos - readPos) + bigArgFilled, Integer.MAX_VALUE);
  }

  /** Bytes allocated for what is buffered: the buffer and a big argument's array (CLIENT LIST qbuf-free). */
  public int allocated() {
    return (int) Math.min((long) buffer.length + (bigArg == null ? 0 : bigArg.length), Integer.MAX_VALUE);
  }

  /** Parses a "*N" line; false when it is incomplete. A count of 0 or less leaves bulksRemaining at 0. */
  private boolean readMultibulkCount() throws ProtocolException {
    int cr = completeLineEnd("Protocol error: too big mbulk count string");
    if (cr < 0) {
      return false;
    }
    long count = parseLength(readPos + 1, cr);
    if (count > Integer.MAX_VALUE) {
      throw fail("Protocol error: invalid multibulk length", false);
    }
    if (count > UNAUTHENTICATED_MAX_MULTIBULK_LEN && !authenticated) {
      throw fail("Protocol error: unauthenticated multibulk length", false);
    }
    readPos = cr + 2;
    if (count > 0) {
      bulksRemaining = (int) count;
      args = new byte[(int) Math.min(count, INITIAL_ARGS_CAPACITY)][];
      argCount = 0;
    }
    return true;
  }

  /**
   * The '\r' ending the count line at readPos, once it and the byte after it have arrived; -1 while the line is
   * incomplete. A line longer than an inline command may be fails with {@code tooBig}.
   */
  private int completeLineEnd(String tooBig) throws ProtocolException {
    int cr = findLineEnd((byte) '\r');
    if (cr < 0) {
      if (writePos - readPos > INLINE_MAX_SIZE) {
        throw fail(tooBig, false);
      }
      return -1;
    }
    return cr > writePos - 2 ? -1 : cr; // the byte after '\r' has not arrived
  }

  /** Continues the multibulk command in progress; returns it once every argument is in, else null. */
  private byte[][] readBulks() throws ProtocolException {
    while (bulksRemaining > 0) {
      if (bulkLen < 0 && !readBulkLength()) {
        return null;
      }
      byte[] arg;
      if (bigArg == null && writePos - readPos - 2 >= bulkLen) {
        // Never a shared empty array: the ranges tell keys apart by their arrays' identity (RangeState.hintSlot).
        arg = Arrays.copyOfRange(buffer, readPos, readPos + bulkLen);
        readPos += bulkLen + 2; // Redis skips the two bytes after the payload unchecked
      } else if (bulkLen >= BIG_ARG) {
        arg = accumulateBigArg();
        if (arg == null) {
          return null;
        }
      } else {
        return null;
      }
      if (argCount == args.length) {
        args = Arrays.copyOf(args, (int) Math.min(2L * args.length, (long) argCount + bulksRemaining));
      }
      args[argCount++] = arg;
      bulksRemaining--;
      bulkLen = -1;
    }
    byte[][] command = args;
    args = null;
    argCount = 0;
    return command;
  }

  /** Parses a "$len" line into bulkLen; false when it is incomplete. */
  private boolean readBulkLength() throws ProtocolException {
    int cr = completeLineEnd("Protocol error: too big bulk count string");
    if (cr < 0) {
      return false;
    }
    byte first = buffer[readPos];
    if (first != '$') {
      throw fail("Protocol error: expected '$', got '" + replyChar(first) + "'", false);
    }
    long length = parseLength(readPos + 1, cr);
    // Lengths beyond what a Java array holds are refused too; Redis would accept them only if
    // proto-max-bulk-len were raised above 2 GB.
    if (length < 0 || length > protoMaxBulkLen || length > MAX_ARRAY_LENGTH) {
      throw fail("Protocol error: invalid bulk length", false);
    }
    if (length > UNAUTHENTICATED_MAX_BULK_LEN && !authenticated) {
      throw fail("Protocol error: unauthenticated bulk length", false);
    }
    readPos = cr + 2;
    bulkLen = (int) length;
    return true;
  }

  /** Moves what has arrived of a big argument out of the buffer; returns the argument once complete. */
  private byte[] accumulateBigArg() {
    int take = Math.min(writePos - readPos, bulkLen - bigArgFilled);
    if (take > 0) {
      int needed = bigArgFilled + take;
      int capacity = bigArg == null ? 0 : bigArg.length;
      if (needed > capacity) {
        // Double with the data received, capped at the claimed length so the final array is exact.
        long grown = Math.max(needed, Math.max(2L * capacity, BIG_ARG));
        int newCapacity = (int) Math.min(grown, bulkLen);
        bigArg = bigArg == null ? new byte[newCapacity] : Arrays.copyOf(bigArg, newCapacity);
      }
      System.arraycopy(buffer, readPos, bigArg, bigArgFilled, take);
      bigArgFilled = needed;
      readPos += take;
    }
    if (bigArgFilled < bulkLen || writePos - readPos < 2) {
      return null;
    }
    readPos += 2;
    byte[] arg = bigArg;
    bigArg = null;
    bigArgFilled = 0;
    return arg;
  }

  /** Reads one inline line; null when it is incomplete, an empty array for a blank line. */
  private byte[][] readInline() throws ProtocolException {
    int newline = findLineEnd((byte) '\n');
    if (newline < 0) {
      if (writePos - readPos > INLINE_MAX_SIZE) {
        throw fail("Protocol error: too big inline request", false);
      }
      return null;
    }
    int lineEnd = newline != readPos && buffer[newline - 1] == '\r' ? newline - 1 : newline;
    byte[][] argv = splitArgs(readPos, lineEnd);
    readPos = newline + 1;
    return argv;
  }

  /** Redis's sdssplitargs over buffer[from, end), which holds no NUL (line searches stop at one). */
  private byte[][] splitArgs(int from, int end) throws ProtocolException {
    List<byte[]> argv = SdsText.splitArgs(Arrays.copyOfRange(buffer, from, end));
    if (argv == null) throw fail("Protocol error: unbalanced quotes in request", false);
    return argv.isEmpty() ? NO_ARGS : argv.toArray(NO_ARGS);
  }

  /**
   * Index of the first {@code terminator} at or after readPos, or -1 if there is none yet. Like strchr on
   * Redis's NUL-terminated query buffer, the search also ends at a NUL byte.
   */
  private int findLineEnd(byte terminator) {
    byte[] bytes = buffer;
    int end = writePos;
    for (int i = Math.max(readPos, searchFrom); i < end; i++) {
      byte b = bytes[i];
      if (b == terminator) {
        searchFrom = i;
        return i;
      }
      if (b == 0) {
        searchFrom = i;
        return -1;
      }
    }
    searchFrom = end;
    return -1;
  }

  /**
   * Redis's string2ll over buffer[from, to), as Redis reads the lengths of a request. An invalid text reads as
   * Long.MAX_VALUE, which every caller refuses with the same error as a valid length that large.
   */
  private long parseLength(int from, int to) {
    return RedisNumbers.string2ll(buffer, from, to, Long.MAX_VALUE);
  }

  /** Makes room for {@code length} more bytes by compacting or growing; false if that is impossible. */
  private boolean makeRoom(int length) {
    int live = writePos - readPos;
    long needed = (long) live + length;
    if (needed > MAX_ARRAY_LENGTH) {
      fail("closing client that reached max query buffer length", true);
      return false;
    }
    if (needed <= buffer.length / 2) {
      System.arraycopy(buffer, readPos, buffer, 0, live);
    } else {
      int capacity = (int) Math.min(Math.max(needed, 2L * buffer.length), MAX_ARRAY_LENGTH);
      byte[] grown = new byte[capacity];
      System.arraycopy(buffer, readPos, grown, 0, live);
      buffer = grown;
    }
    searchFrom = Math.max(0, searchFrom - readPos);
    readPos = 0;
    writePos = live;
    return true;
  }

  private void releaseIdleBuffer() {
    readPos = writePos = searchFrom = 0;
    if (buffer.length > MAX_IDLE_BUFFER_SIZE) {
      buffer = new byte[INITIAL_BUFFER_SIZE];
    }
  }

  private ProtocolException fail(String message, boolean closeSilently) {
    failure = new ProtocolException(message, closeSilently);
    // Drop what the dead connection holds; the decoder is never used again.
    buffer = EMPTY_ARG;
    readPos = writePos = searchFrom = 0;
    args = null;
    bigArg = null;
    bigArgFilled = 0;
    return failure;
  }

  /** The byte as Redis's error reply shows it: raw, except CR and LF become spaces to keep the reply one line. */
  private static char replyChar(byte b) {
    return b == '\r' || b == '\n' ? ' ' : (char) (b & 0xFF);
  }
}
