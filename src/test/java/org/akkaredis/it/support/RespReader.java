package org.akkaredis.it.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads exactly one RESP2/RESP3 reply at a time from a stream, keeping its raw bytes. */
public final class RespReader {
  private final InputStream in;

  public RespReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next reply. An attribute ('|') before a reply is read with it: its bytes are part of the reply's raw
   * bytes. Throws EOFException when the peer closed the connection before a reply started or in its middle.
   */
  public RespReply read() throws IOException {
    return read(new RawBytes());
  }

  private RespReply read(RawBytes raw) throws IOException {
    int start = raw.size();
    int type = in.read();
    if (type < 0) throw new EOFException("connection closed by the server");
    raw.write(type);
    byte[] line = readLine(raw);
    String header = new String(line, StandardCharsets.UTF_8);
    switch (type) {
      case '+', '-', ':', ',', '#', '(', '_' -> {
        return new RespReply((char) type, raw.slice(start), type == '_' ? null : line, null);
      }
      case '$', '!', '=' -> {
        long length = parseLength(header, raw);
        if (length < 0) return new RespReply((char) type, raw.slice(start), null, null);
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) throw new EOFException("connection closed inside a bulk reply");
        raw.write(payload);
        byte[] crlf = in.readNBytes(2);
        raw.write(crlf);
        if (crlf.length < 2 || crlf[0] != '\r' || crlf[1] != '\n') {
          throw new IOException("bulk reply not followed by CRLF: " + RespReply.escape(raw.toByteArray(), 200));
        }
        return new RespReply((char) type, raw.slice(start), payload, null);
      }
      case '*', '~', '>', '%' -> {
        long count = parseLength(header, raw);
        if (count < 0) return new RespReply((char) type, raw.slice(start), null, null);
        long items = type == '%' ? 2 * count : count;
        List<RespReply> elements = new ArrayList<>();
        for (long i = 0; i < items; i++) elements.add(read(raw));
        return new RespReply((char) type, raw.slice(start), null, List.copyOf(elements));
      }
      case '|' -> {
        long count = parseLength(header, raw);
        for (long i = 0; i < 2 * count; i++) read(raw);
        RespReply actual = read(raw);
        return new RespReply(actual.type, raw.slice(start), actual.isAggregate() || actual.isNull() ? null
            : actual.bytes(), actual.isAggregate() ? actual.elements() : null);
      }
      default -> throw new IOException("not a RESP reply: " + RespReply.escape(raw.toByteArray(), 200));
    }
  }

  private static long parseLength(String header, RawBytes raw) throws IOException {
    try {
      return Long.parseLong(header);
    } catch (NumberFormatException e) {
      throw new IOException("malformed length in reply: " + RespReply.escape(raw.toByteArray(), 200), e);
    }
  }

  /** The line's bytes up to CRLF (both are written to raw, not returned). */
  private byte[] readLine(RawBytes raw) throws IOException {
    RawBytes line = new RawBytes();
    while (true) {
      int b = in.read();
      if (b < 0) throw new EOFException("connection closed inside a reply line");
      raw.write(b);
      if (b == '\n' && line.size() > 0 && line.last() == '\r') return line.slice(0, line.size() - 1);
      line.write(b);
    }
  }

  /** The bytes of the reply being read; a nested reply's raw bytes are a slice of its parent's. */
  private static final class RawBytes extends ByteArrayOutputStream {
    byte[] slice(int from) {
      return Arrays.copyOfRange(buf, from, count);
    }

    byte[] slice(int from, int to) {
      return Arrays.copyOfRange(buf, from, to);
    }

    int last() {
      return buf[count - 1];
    }
  }
}
