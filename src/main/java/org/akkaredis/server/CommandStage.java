package org.akkaredis.server;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection's commands as a stage of its stream: takes the socket's reads, gives one {@link ClientConnection.Output}
 * per batch. One batch runs at a time; the next batch of the same read only once the one before was taken
 * downstream, and the next read is pulled only once its read's batches are all done, so back-pressure reaches the
 * socket. A batch whose reply is ready when it returns (commands of the session) goes on without a hop; one a range
 * answers comes back through one async callback. It replaces mapAsync(1) + flatMapConcat of a Source per read: a
 * CompletableFuture chain, a Scala promise and a Source built for every request (docs/performance.md).
 */
final class CommandStage extends GraphStage<FlowShape<ByteString, ClientConnection.Output>> {
  private final Inlet<ByteString> reads = Inlet.create("CommandStage.reads");
  private final Outlet<ClientConnection.Output> outputs = Outlet.create("CommandStage.outputs");
  private final FlowShape<ByteString, ClientConnection.Output> shape = FlowShape.of(reads, outputs);
  private final ClientConnection client;

  CommandStage(ClientConnection client) {
    this.client = client;
  }

  @Override public FlowShape<ByteString, ClientConnection.Output> shape() {
    return shape;
  }

  /** A batch's end as the callback carries it: its output (null: no command to run) or its failure. */
  private record Ran(ClientConnection.Output output, Throwable failure) {}

  @Override public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      /** A batch runs and has not answered yet. */
      private boolean running;
      /** An output not yet taken downstream. */
      private ClientConnection.Output ready;
      /** The read's next batch is to run once the output before it was taken. */
      private boolean more;
      private boolean inputDone;
      private AsyncCallback<Ran> ran;

      {
        setHandler(reads, new AbstractInHandler() {
          @Override public void onPush() {
            client.feed(grab(reads));
            start(client.nextBatch());
          }

          @Override public void onUpstreamFinish() {
            inputDone = true;
            if (!running && ready == null && !more) completeStage();
          }
        });
        setHandler(outputs, new AbstractOutHandler() {
          @Override public void onPull() {
            advance();
          }
        });
      }

      @Override public void preStart() {
        ran = createAsyncCallback(done -> finished(done.output(), done.failure()));
      }

      private void start(CompletionStage<ClientConnection.Output> batch) {
        running = true;
        CompletableFuture<ClientConnection.Output> future = batch.toCompletableFuture();
        if (future.isDone()) {
          ClientConnection.Output output;
          try {
            output = future.join();
          } catch (RuntimeException e) {
            finished(null, e.getCause() != null ? e.getCause() : e);
            return;
          }
          finished(output, null);
        } else {
          future.whenComplete((output, failure) -> ran.invoke(new Ran(output, failure)));
        }
      }

      private void finished(ClientConnection.Output output, Throwable failure) {
        running = false;
        if (failure != null) {
          failStage(failure);
          return;
        }
        if (output == null) more = false; // the read held no complete command (more): on to the next read
        else ready = output;
        if (isAvailable(outputs)) advance();
      }

      /** Downstream wants an element: the one ready, else the read's next batch, else the next read. */
      private void advance() {
        if (ready != null) {
          ClientConnection.Output output = ready;
          ready = null;
          more = client.continuesAfter(output);
          push(outputs, output);
        } else if (running) {
          return;
        } else if (more) {
          more = false;
          start(client.nextBatch());
        } else if (inputDone) {
          completeStage();
        } else if (!hasBeenPulled(reads)) {
          pull(reads);
        }
      }
    };
  }
}
