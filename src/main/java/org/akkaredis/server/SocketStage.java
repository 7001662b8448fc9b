package org.akkaredis.server;

import akka.Done;
import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.AsyncCallback;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.util.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A client socket as a stage of its connection's stream: what it takes is written to the socket, from the stream's
 * own thread, as far as the socket takes it at once (the rest once the loop says it is writable, before the next
 * element is pulled); what it gives is what the loop read. The stream's back-pressure reaches the socket: past
 * {@link #READ_AHEAD} unread bytes the loop stops reading it. The socket closes when the stream's output ends,
 * after what it wrote went out, or at once when the output fails (an abort, as {@link OutputQueue} asks for).
 */
final class SocketStage extends GraphStage<FlowShape<ByteString, ByteString>> {
  /** Input read but not yet taken by the stream before the socket is no longer read: a pipelining client's lead. */
  static final int READ_AHEAD = 256 * 1024;
  /** The most one write hands over: the JDK copies a heap buffer into a per-thread direct one of that size. */
  static final int WRITE_SIZE = 256 * 1024;

  private final Inlet<ByteString> toSocket = Inlet.create("SocketStage.toSocket");
  private final Outlet<ByteString> fromSocket = Outlet.create("SocketStage.fromSocket");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(toSocket, fromSocket);
  private final SocketConnection connection;

  SocketStage(SocketConnection connection) {
    this.connection = connection;
  }

  @Override public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private ByteString unread = ByteString.emptyByteString();
      private boolean paused;
      private boolean inputEnded;
      private final ArrayDeque<ByteBuffer> unwritten = new ArrayDeque<>();

      {
        setHandler(toSocket, new AbstractInHandler() {
          @Override public void onPush() {
            for (ByteBuffer buffer : grab(toSocket).getByteBuffers()) unwritten.add(buffer);
            write();
          }

          @Override public void onUpstreamFinish() {
            if (unwritten.isEmpty()) close();
          }

          @Override public void onUpstreamFailure(Throwable aborted) {
            close();
          }
        });
        setHandler(fromSocket, new AbstractOutHandler() {
          @Override public void onPull() {
            deliver();
          }

          @Override public void onDownstreamFinish(Throwable cause) {
            // The stream takes no more input; the socket stays open for what the stream still writes.
            unread = ByteString.emptyByteString();
            connection.pauseReading();
          }
        });
      }

      @Override public void preStart() {
        // The stage outlives its ports: the last write may still be going out when both are closed.
        setKeepGoing(true);
        AsyncCallback<ByteString> received = createAsyncCallback(this::received);
        AsyncCallback<Done> inputEnded = createAsyncCallback(done -> inputEnded());
        AsyncCallback<Done> writable = createAsyncCallback(done -> write());
        try {
          connection.start(new SocketConnection.Events() {
            @Override public void received(ByteString bytes) {
              received.invoke(bytes);
            }

            @Override public void inputEnded() {
              inputEnded.invoke(Done.getInstance());
            }

            @Override public void writable() {
              writable.invoke(Done.getInstance());
            }
          });
        } catch (IOException e) {
          close();
          return;
        }
        pull(toSocket);
      }

      private void received(ByteString bytes) {
        if (isClosed(fromSocket)) return;
        // What queued up while the stream was busy goes on as one element: the decoder takes it all at once.
        unread = unread.isEmpty() ? bytes : unread.concat(bytes);
        if (isAvailable(fromSocket)) deliver();
        else if (!paused && unread.size() >= READ_AHEAD) {
          paused = true;
          connection.pauseReading();
        }
      }

      private void inputEnded() {
        inputEnded = true;
        if (unread.isEmpty() && !isClosed(fromSocket)) complete(fromSocket);
      }

      private void deliver() {
        if (!unread.isEmpty()) {
          push(fromSocket, unread);
          unread = ByteString.emptyByteString();
          if (paused) {
            paused = false;
            connection.resumeReading();
          }
        } else if (inputEnded) {
          complete(fromSocket);
        }
      }

      /** Writes what the socket takes now; pulls the next element once all is written, or closes when that was the last. */
      private void write() {
        try {
          while (!unwritten.isEmpty()) {
            ByteBuffer next = unwritten.peek();
            ByteBuffer part = next;
            if (next.remaining() > WRITE_SIZE) part = next.duplicate().limit(next.position() + WRITE_SIZE);
            int wanted = part.remaining();
            int written = connection.write(part);
            if (part != next) next.position(next.position() + written);
            if (written < wanted) {
              connection.awaitWritable();
              return;
            }
            if (!next.hasRemaining()) unwritten.poll();
          }
        } catch (IOException gone) {
          close();
          return;
        }
        if (isClosed(toSocket)) close();
        else if (!hasBeenPulled(toSocket)) pull(toSocket);
      }

      private void close() {
        connection.close();
        completeStage();
      }

      @Override public void postStop() {
        connection.close();
      }
    };
  }
}
