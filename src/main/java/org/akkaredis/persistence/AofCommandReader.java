package org.akkaredis.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the commands of an append-only file as Redis 7.0 writes them: RESP arrays of bulk strings
 * ({@code *N\r\n$len\r\narg\r\n...}), with annotation lines starting with '#' ({@code #TS:1700000000\r\n}, written
 * with aof-timestamp-enabled) skipped. It reads from wherever {@code in} stands, so a caller that has consumed an
 * RDB preamble hands over the rest; offsets count from there.
 *
 * <p>The result says how far the valid part goes and whether the stream ended inside a command (a truncated tail,
 * which Redis loads up to the last whole command when aof-load-truncated is yes and refuses otherwise). An empty
 * remainder is no truncation. Anything malformed before the end fails with an {@link AofFormatException}, the case
 * in which Redis logs "Bad file format reading the append only file ...".
 *
 * <p>As Redis does, a transaction (MULTI ... EXEC) counts as one unit: its commands reach the visitor together
 * once EXEC has been read, and a stream that ends inside one is truncated before its MULTI ("Revert incomplete
 * MULTI/EXEC transaction"), so the visitor never sees a transaction Redis would not apply.
 *
 * <p>Where Redis's loader is lenient this reader is strict, failing on what only a damaged file holds: digits
 * followed by anything but CRLF in a count or length (Redis's atoi reads "*3x" as 3), a bulk not followed by CRLF
 * (Redis skips two bytes unchecked), a negative or zero count or length. And a '#' annotation the stream ends in is
 * a truncated tail: Redis skips it, leaves it in the file, and its next appended command then joins that
 * annotation line, which makes the following start fail with "Bad file format".
 */
public final class AofCommandReader {
  /**
   * {@code validBytes}: when {@code truncated}, where Redis cuts the file ("Truncating the AOF ... at offset N"): the
   * end of the last whole command outside an unfinished transaction; otherwise all bytes read.
   */
  public record Result(long validBytes, boolean truncated) {}

  public interface Visitor {
    /** One command, its name first; the arrays are the visitor's to keep. */
    void command(byte[][] args) throws IOException;
  }

  /** A malformed command before the end of the stream. */
  public static final class AofFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final long validBytes;

    AofFormatException(String problem, long offset, long validBytes) {
      super(problem + " at offset " + offset);
      this.offset = offset;
      this.validBytes = validBytes;
    }

    /** Where the offending byte is. */
    public long offset() {
      return offset;
    }

    /** Where the last whole command before it ends: redis-check-aof's "ok_up_to", what its --fix keeps. */
    public long validBytes() {
      return validBytes;
    }
  }

  /** Thrown inside the reader when the stream ends within a command; never escapes {@link #read}. */
  private static final class StreamEnded extends Exception {
    private static final long serialVersionUID = 1L;

    StreamEnded() {
      super(null, null, false, false);
    }
  }

  private static final StreamEnded STREAM_ENDED = new StreamEnded();
  private static final int BUFFER_BYTES = 1 << 16;
  /** Longer bulks grow as their bytes arrive, so a damaged length cannot allocate gigabytes up front. */
  private static final int EAGER_BULK_BYTES = 1 << 20;
  private static final int EAGER_ARGS = 1024;
  private static final int MAX_BULK_BYTES = Integer.MAX_VALUE - 8;
  /** Enough for any count or length an array can hold, few enough that the value cannot overflow a long. */
  private static final int MAX_DIGITS = 18;
  private static final byte[] MULTI = {'M', 'U', 'L', 'T', 'I'};
  private static final byte[] EXEC = {'E', 'X', 'E', 'C'};

  private final InputStream in;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int pos;
  private int limit;
  /** Stream offset of buffer[0]. */
  private long bufferOffset;
  private boolean streamEnded;
  private long validBytes;

  private AofCommandReader(InputStream in) {
    this.in = in;
  }

  /** Reads {@code in} to its end, handing each command to {@code visitor}. */
  public static Result read(InputStream in, Visitor visitor) throws IOException {
    return new AofCommandReader(in).readAll(visitor);
  }

  private Result readAll(Visitor visitor) throws IOException {
    List<byte[][]> transaction = null;
    try {
      while (pos < limit || fill()) {
        byte first = buffer[pos];
        if (first == '#') {
          skipAnnotation();
          continue;
        }
        if (first != '*') throw formatError("expected '*'", offset());
        byte[][] args = readCommand();
        if (transaction != null) {
          transaction.add(args);
          if (isCommand(args, EXEC)) {
            for (byte[][] queued : transaction) visitor.command(queued);
            transaction = null;
            validBytes = offset();
          }
        } else if (isCommand(args, MULTI)) {
          transaction = new ArrayList<>();
          transaction.add(args);
        } else {
          visitor.command(args);
          validBytes = offset();
        }
      }
    } catch (StreamEnded ended) {
      return new Result(validBytes, true);
    }
    return transaction != null ? new Result(validBytes, true) : new Result(offset(), false);
  }

  private byte[][] readCommand() throws IOException, StreamEnded {
    long countOffset = offset();
    pos++;
    long count = readNumber("multibulk count");
    if (count < 1 || count > Integer.MAX_VALUE) throw formatError("invalid multibulk count", countOffset);
    byte[][] args = new byte[(int) Math.min(count, EAGER_ARGS)][];
    for (int i = 0; i < count; i++) {
      if (pos == limit && !fill()) throw STREAM_ENDED;
      long lengthOffset = offset();
      if (buffer[pos] != '$') throw formatError("expected '$'", lengthOffset);
      pos++;
      long length = readNumber("bulk length");
      if (length > MAX_BULK_BYTES) throw formatError("bulk length too large", lengthOffset);
      if (i == args.length) args = Arrays.copyOf(args, (int) Math.min(count, 2L * args.length));
      args[i] = readBulk((int) length);
      expect('\r', "expected CR after bulk");
      expect('\n', "expected LF after bulk");
    }
    return args;
  }

  /** Decimal digits, then CRLF. */
  private long readNumber(String what) throws IOException, StreamEnded {
    long value = 0;
    int digits = 0;
    while (true) {
      if (pos == limit && !fill()) throw STREAM_ENDED;
      byte b = buffer[pos];
      if (b >= '0' && b <= '9') {
        if (++digits > MAX_DIGITS) throw formatError(what + " has too many digits", offset());
        value = value * 10 + (b - '0');
        pos++;
      } else if (b == '\r' && digits > 0) {
        pos++;
        expect('\n', "expected LF after " + what);
        return value;
      } else {
        throw formatError("invalid " + what, offset());
      }
    }
  }

  private byte[] readBulk(int length) throws IOException, StreamEnded {
    byte[] bulk = new byte[Math.min(length, EAGER_BULK_BYTES)];
    int filled = 0;
    while (filled < length) {
      if (filled == bulk.length) bulk = Arrays.copyOf(bulk, (int) Math.min(length, 2L * bulk.length));
      int room = bulk.length - filled;
      if (pos < limit) {
        int n = Math.min(room, limit - pos);
        System.arraycopy(buffer, pos, bulk, filled, n);
        pos += n;
        filled += n;
      } else if (room >= BUFFER_BYTES && !streamEnded) {
        // A large value skips the buffer: read straight into the argument.
        bufferOffset += limit;
        pos = 0;
        limit = 0;
        int n = in.read(bulk, filled, room);
        if (n < 0) {
          streamEnded = true;
          throw STREAM_ENDED;
        }
        bufferOffset += n;
        filled += n;
      } else if (!fill()) {
        throw STREAM_ENDED;
      }
    }
    return bulk;
  }

  /** Through the next '\n'. */
  private void skipAnnotation() throws IOException, StreamEnded {
    while (true) {
      if (pos == limit && !fill()) throw STREAM_ENDED;
      while (pos < limit) {
        if (buffer[pos++] == '\n') return;
      }
    }
  }

  private void expect(char expected, String problem) throws IOException, StreamEnded {
    if (pos == limit && !fill()) throw STREAM_ENDED;
    if (buffer[pos] != expected) throw formatError(problem, offset());
    pos++;
  }

  /** Refills the buffer once all of it has been consumed; false at the end of the stream. */
  private boolean fill() throws IOException {
    if (streamEnded) return false;
    bufferOffset += limit;
    pos = 0;
    limit = 0;
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      streamEnded = true;
      return false;
    }
    limit = n;
    return true;
  }

  private long offset() {
    return bufferOffset + pos;
  }

  private AofFormatException formatError(String problem, long offset) {
    return new AofFormatException(problem, offset, validBytes);
  }

  /** Command names compare case-insensitively, as Redis looks them up. */
  private static boolean isCommand(byte[][] args, byte[] upperCaseName) {
    byte[] name = args[0];
    if (name.length != upperCaseName.length) return false;
    for (int i = 0; i < name.length; i++) {
      int c = name[i];
      if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
      if (c != upperCaseName[i]) return false;
    }
    return true;
  }
}
