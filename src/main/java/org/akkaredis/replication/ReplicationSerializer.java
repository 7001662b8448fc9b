package org.akkaredis.replication;

import akka.serialization.SerializerWithStringManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;

/**
 * The replication messages' wire format between nodes (sync requests, acknowledgements, payloads): compact
 * binary with one stable manifest per type, never Java serialization. Nodes of one cluster must agree on it.
 */
public final class ReplicationSerializer extends SerializerWithStringManifest {
  static final int IDENTIFIER = 6380;
  private static final String SYNC = "sync";
  private static final String ACK = "ack";
  private static final String DELIVER = "deliver";
  private static final String REFUSED = "refused";
  private static final String DISCONNECTED = "disconnected";

  private static final byte FULL_SYNC = 1;
  private static final byte CONTINUE = 2;
  private static final byte CHUNK = 3;
  private static final byte SNAPSHOT_DONE = 4;
  private static final byte STREAM = 5;
  private static final byte PING = 6;

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof ReplicationSource.Sync) return SYNC;
    if (o instanceof ReplicationSource.Ack) return ACK;
    if (o instanceof ReplicaLink.Deliver) return DELIVER;
    if (o instanceof ReplicaLink.Refused) return REFUSED;
    if (o instanceof ReplicaLink.Disconnected) return DISCONNECTED;
    throw new IllegalArgumentException("not a replication message: " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint(o));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (o instanceof ReplicationSource.Sync sync) {
        out.writeUTF(sync.replicaId());
        out.writeUTF(sync.link());
        out.writeInt(sync.port());
        out.writeLong(sync.syncId());
        out.writeUTF(sync.replid());
        out.writeLong(sync.offset());
        out.writeUTF(sync.user());
        out.writeUTF(sync.password());
      } else if (o instanceof ReplicationSource.Ack ack) {
        out.writeUTF(ack.replicaId());
        out.writeLong(ack.syncId());
        out.writeLong(ack.seq());
        out.writeLong(ack.offset());
      } else if (o instanceof ReplicaLink.Refused refused) {
        out.writeLong(refused.syncId());
        out.writeBoolean(refused.authReply());
        out.writeUTF(refused.error());
      } else if (o instanceof ReplicaLink.Disconnected disconnected) {
        out.writeLong(disconnected.syncId());
      } else {
        ReplicaLink.Deliver deliver = (ReplicaLink.Deliver) o;
        out.writeLong(deliver.syncId());
        out.writeLong(deliver.seq());
        writePayload(out, deliver.payload());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Room for the whole message at once: a stream payload (up to 64 KiB) is not copied while the buffer grows. */
  private static int sizeHint(Object o) {
    if (!(o instanceof ReplicaLink.Deliver deliver)) return 128;
    if (deliver.payload() instanceof Payload.Stream stream) return 64 + stream.commands().length;
    if (deliver.payload() instanceof Payload.Chunk chunk) return 64 + chunk.commands().length;
    return 128;
  }

  private static void writePayload(DataOutputStream out, Payload payload) throws IOException {
    if (payload instanceof Payload.FullSync full) {
      out.writeByte(FULL_SYNC);
      out.writeUTF(full.replid());
      out.writeLong(full.offset());
      out.writeInt(full.db());
    } else if (payload instanceof Payload.Continue cont) {
      out.writeByte(CONTINUE);
      out.writeUTF(cont.replid());
      out.writeLong(cont.offset());
    } else if (payload instanceof Payload.Chunk chunk) {
      out.writeByte(CHUNK);
      writeBytes(out, chunk.commands());
    } else if (payload instanceof Payload.SnapshotDone done) {
      out.writeByte(SNAPSHOT_DONE);
      out.writeLong(done.offset());
    } else if (payload instanceof Payload.Stream stream) {
      out.writeByte(STREAM);
      out.writeLong(stream.end());
      writeBytes(out, stream.commands());
    } else {
      out.writeByte(PING);
      out.writeLong(((Payload.Ping) payload).offset());
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return switch (manifest) {
        case SYNC -> new ReplicationSource.Sync(in.readUTF(), in.readUTF(), in.readInt(), in.readLong(),
            in.readUTF(), in.readLong(), in.readUTF(), in.readUTF());
        case REFUSED -> new ReplicaLink.Refused(in.readLong(), in.readBoolean(), in.readUTF());
        case ACK -> new ReplicationSource.Ack(in.readUTF(), in.readLong(), in.readLong(), in.readLong());
        case DISCONNECTED -> new ReplicaLink.Disconnected(in.readLong());
        case DELIVER -> new ReplicaLink.Deliver(in.readLong(), in.readLong(), readPayload(in));
        default -> throw new NotSerializableException("unknown replication manifest " + manifest);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Payload readPayload(DataInputStream in) throws IOException {
    byte type = in.readByte();
    return switch (type) {
      case FULL_SYNC -> new Payload.FullSync(in.readUTF(), in.readLong(), in.readInt());
      case CONTINUE -> new Payload.Continue(in.readUTF(), in.readLong());
      case CHUNK -> new Payload.Chunk(readBytes(in));
      case SNAPSHOT_DONE -> new Payload.SnapshotDone(in.readLong());
      case STREAM -> new Payload.Stream(in.readLong(), readBytes(in));
      case PING -> new Payload.Ping(in.readLong());
      default -> throw new IOException("unknown replication payload type " + type);
    };
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
