package org.akkaredis.cluster.bus;

import akka.serialization.SerializerWithStringManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.akkaredis.cluster.BusMessage;
import org.akkaredis.cluster.BusMessage.Gossip;
import org.akkaredis.cluster.BusMessage.Header;
import org.akkaredis.cluster.BusMessage.Ping;
import org.akkaredis.cluster.BusMessage.PingKind;

/**
 * The bus's wire format: a compact binary form of {@link BusEndpoint.Inbound} with one stable manifest per
 * message type (never Java serialization). A manifest or layout change is a protocol change: nodes of one
 * cluster must agree on it, so add new types with new manifests instead of changing old ones.
 */
public final class BusSerializer extends SerializerWithStringManifest {
  /** Akka's serializer id for this format; ids below 40 are Akka's own. */
  static final int IDENTIFIER = 6379;

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  /** PUBLISH's light form (sender and bus address, channel, message); the full header is never sent with it. */
  static final String PUBLISH_LIGHT = "publish-light";
  /** PUBLISHSHARD in the light form: one message, the same layout as {@link #PUBLISH_LIGHT}'s. */
  static final String PUBLISHSHARD_LIGHT = "publishshard-light";

  @Override
  public String manifest(Object o) {
    BusMessage message = ((BusEndpoint.Inbound) o).message();
    if (message instanceof BusMessage.Publishes) return PUBLISH_LIGHT;
    if (message instanceof BusMessage.Publish publish && publish.shard()) return PUBLISHSHARD_LIGHT;
    return BusMessage.statName(message);
  }

  @Override
  public byte[] toBinary(Object o) {
    BusMessage message = ((BusEndpoint.Inbound) o).message();
    long incarnation = ((BusEndpoint.Inbound) o).incarnation();
    if (message instanceof BusMessage.Publishes batch) return publishLight(batch.header(), batch.publishes(), incarnation);
    if (message instanceof BusMessage.Publish publish && publish.shard()) {
      return publishLight(publish.header(), List.of(publish), incarnation);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message instanceof Ping ? 512 : 2200);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeHeader(out, message.header());
      if (message instanceof Ping ping) {
        out.writeShort(ping.gossip().size());
        for (Gossip g : ping.gossip()) {
          out.writeUTF(g.id());
          out.writeLong(g.pingSentMs());
          out.writeLong(g.pongReceivedMs());
          out.writeUTF(g.ip());
          out.writeShort(g.port());
          out.writeShort(g.cport());
          out.writeShort(g.flags());
        }
        out.writeUTF(ping.hostname());
      } else if (message instanceof BusMessage.Fail fail) {
        out.writeUTF(fail.failing());
      } else if (message instanceof BusMessage.Update update) {
        out.writeUTF(update.node());
        out.writeLong(update.configEpoch());
        writeSlots(out, update.slots());
      } else if (message instanceof BusMessage.Publish publish) {
        writeBytes(out, publish.channel());
        writeBytes(out, publish.message());
      }
      // Last, so that a node without it reads the message and leaves these bytes, and reads 0 from one without
      out.writeLong(((BusEndpoint.Inbound) o).incarnation());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * PUBLISH messages in their light form: the sender's id, bus host and bus port once, the number of messages, each
   * one's channel and message, and the sending endpoint's incarnation.
   */
  private static byte[] publishLight(Header h, List<BusMessage.Publish> publishes, long incarnation) {
    int size = 64;
    for (BusMessage.Publish publish : publishes) size += 8 + publish.channel().length + publish.message().length;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(h.sender());
      out.writeUTF(h.busHost());
      out.writeShort(h.cport());
      out.writeInt(publishes.size());
      for (BusMessage.Publish publish : publishes) {
        writeBytes(out, publish.channel());
        writeBytes(out, publish.message());
      }
      out.writeLong(incarnation);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static BusEndpoint.Inbound readPublishLight(DataInputStream in, boolean shard) throws IOException {
    String sender = in.readUTF();
    String busHost = in.readUTF();
    int cport = in.readUnsignedShort();
    Header header = new Header(sender, 0, 0, 0, 0, new BitSet(0), null, "", busHost, 0, cport, true, 0);
    int count = in.readInt();
    if (count < 0 || count > in.available() / 8) throw new IOException("bad PUBLISH count " + count);
    List<BusMessage.Publish> publishes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) publishes.add(new BusMessage.Publish(header, readBytes(in), readBytes(in), shard));
    if (shard) {
      if (count != 1) throw new IOException("bad PUBLISHSHARD count " + count);
      return new BusEndpoint.Inbound(publishes.get(0), in.readLong());
    }
    return new BusEndpoint.Inbound(new BusMessage.Publishes(header, List.copyOf(publishes)), in.readLong());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (manifest.equals(PUBLISH_LIGHT)) return readPublishLight(in, false);
      if (manifest.equals(PUBLISHSHARD_LIGHT)) return readPublishLight(in, true);
      Header header = readHeader(in);
      BusMessage message = switch (manifest) {
        case "ping", "pong", "meet" -> new Ping(PingKind.valueOf(manifest.toUpperCase()), header, readGossip(in),
            in.readUTF());
        case "fail" -> new BusMessage.Fail(header, in.readUTF());
        case "update" -> new BusMessage.Update(header, in.readUTF(), in.readLong(), readSlots(in));
        case "auth-req" -> new BusMessage.FailoverAuthRequest(header);
        case "auth-ack" -> new BusMessage.FailoverAuthAck(header);
        case "mfstart" -> new BusMessage.MfStart(header);
        case "publish", "publishshard" ->
            new BusMessage.Publish(header, readBytes(in), readBytes(in), manifest.equals("publishshard"));
        default -> throw new NotSerializableException("unknown cluster bus message type " + manifest);
      };
      return new BusEndpoint.Inbound(message, in.available() >= Long.BYTES ? in.readLong() : 0);
    } catch (IOException e) {
      NotSerializableException failure = new NotSerializableException("corrupt cluster bus message " + manifest);
      failure.initCause(e);
      throw failure;
    }
  }

  private static void writeHeader(DataOutputStream out, Header h) throws IOException {
    out.writeUTF(h.sender());
    out.writeLong(h.currentEpoch());
    out.writeLong(h.configEpoch());
    out.writeLong(h.replOffset());
    out.writeShort(h.flags());
    writeSlots(out, h.slots());
    out.writeUTF(h.masterId() == null ? "" : h.masterId());
    out.writeUTF(h.myIp());
    out.writeUTF(h.busHost());
    out.writeShort(h.port());
    out.writeShort(h.cport());
    out.writeBoolean(h.stateOk());
    out.writeByte(h.mflags());
  }

  private static Header readHeader(DataInputStream in) throws IOException {
    String sender = in.readUTF();
    long currentEpoch = in.readLong();
    long configEpoch = in.readLong();
    long replOffset = in.readLong();
    int flags = in.readUnsignedShort();
    BitSet slots = readSlots(in);
    String masterId = in.readUTF();
    return new Header(sender, currentEpoch, configEpoch, replOffset, flags, slots,
        masterId.isEmpty() ? null : masterId, in.readUTF(), in.readUTF(), in.readUnsignedShort(),
        in.readUnsignedShort(), in.readBoolean(), in.readUnsignedByte());
  }

  private static List<Gossip> readGossip(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    List<Gossip> gossip = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      gossip.add(new Gossip(in.readUTF(), in.readLong(), in.readLong(), in.readUTF(), in.readUnsignedShort(),
          in.readUnsignedShort(), in.readUnsignedShort()));
    }
    return gossip;
  }

  /** The slot bitmap as its words: empty maps cost two bytes, a full one 2 KiB as in Redis. */
  private static void writeSlots(DataOutputStream out, BitSet slots) throws IOException {
    long[] words = slots.toLongArray();
    out.writeShort(words.length);
    for (long word : words) out.writeLong(word);
  }

  private static BitSet readSlots(DataInputStream in) throws IOException {
    long[] words = new long[in.readUnsignedShort()];
    for (int i = 0; i < words.length; i++) words[i] = in.readLong();
    return BitSet.valueOf(words);
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
