package org.akkaredis.server;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import java.time.Duration;
import java.util.function.Function;
import org.akkaredis.command.ReplyBuffers;
import org.akkaredis.command.Session;
import org.akkaredis.resp.OutputBufferLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's output queue, between its command processing and its socket: Redis's client output buffer. It
 * takes replies while fewer than {@link OutputLimits#queueCap} bytes wait, so a client that does not read stops
 * the processing of its commands instead of growing the heap; it checks client-output-buffer-limit on every reply
 * taken (and once a second while the client is above its soft limit) and, as Redis, closes a client over its
 * limit without writing what is queued, with Redis's log line. What it holds is shown in CLIENT LIST
 * (obl, oll, omem) and INFO (client_recent_max_output_buffer).
 */
final class OutputQueue extends GraphStage<FlowShape<ByteString, ByteString>> {
  private static final Logger LOG = LoggerFactory.getLogger(OutputQueue.class);
  private static final String SOFT_LIMIT_TIMER = "soft-limit";
  private static final String RESIZE_TIMER = "reply-buffer-resize";
  /** How often the reply buffer's size is looked at: Redis's clientsCron visits each of a few clients every 100 ms (hz 10). */
  static final Duration RESIZE_PERIOD = Duration.ofMillis(100);

  private final Inlet<ByteString> in = Inlet.create("OutputQueue.in");
  private final Outlet<ByteString> out = Outlet.create("OutputQueue.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  private final Session session;
  private final OutputLimits limits;
  private final RecentPeak peak;
  private final ReplyBuffers replyBuffers;
  private final Function<Session, String> describe;
  /** Set once the stage runs: drops what is queued and closes the connection, from any thread. */
  private volatile Runnable discard;

  OutputQueue(Session session, OutputLimits limits, RecentPeak peak, ReplyBuffers replyBuffers,
      Function<Session, String> describe) {
    this.session = session;
    this.limits = limits;
    this.peak = peak;
    this.replyBuffers = replyBuffers;
    this.describe = describe;
  }

  /**
   * Closes the connection without writing what is queued, as Redis frees a client on CLIENT KILL or its idle
   * timeout (QUIT, by contrast, closes after its reply). Safe from any thread; nothing to do before the stage runs.
   */
  void discard() {
    Runnable running = discard;
    if (running != null) running.run();
  }

  /** The stream's end when the node closes a client that does not read: its connection is aborted. */
  static final class ClientClosed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientClosed() {
      super("client closed by the node with output still queued", null, false, false);
    }
  }

  @Override public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private final ClientOutput output = new ClientOutput(System.currentTimeMillis());
      private final OutputBufferLimit.Tracker tracker = new OutputBufferLimit.Tracker();
      private boolean finishing;
      private boolean discarding;
      private boolean timerOn;
      private boolean resizing;

      {
        setHandler(in, new AbstractInHandler() {
          @Override public void onPush() {
            output.enqueue(grab(in));
            resizeWhileItMayChange();
            if (discarding && !isAvailable(out)) output.clear(); // closing: only what the socket takes at once
            published();
            if (overLimit()) return;
            if (isAvailable(out) && output.hasWaiting()) push(out, output.nextWrite());
            published();
            pullIfRoom();
          }

          @Override public void onUpstreamFinish() {
            if (discarding) closeNow();
            else if (output.hasWaiting()) finishing = true;
            else completeStage();
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override public void onPull() {
            output.written(); // the socket pulls again once it has taken the last write
            if (output.hasWaiting()) {
              push(out, output.nextWrite());
            } else if (finishing) {
              completeStage();
              return;
            }
            published();
            pullIfRoom();
          }
        });
      }

      @Override public void preStart() {
        akka.stream.stage.AsyncCallback<Boolean> dropped = createAsyncCallback(ignored -> {
          // What waits is dropped; a reply still on its way (CLIENT KILL's own +OK to a client killing itself)
          // goes out if the socket takes it at once, and the connection closes when its requests end.
          discarding = true;
          output.clear();
          published();
          if (finishing || isClosed(in)) closeNow();
          else pullIfRoom(); // the rest of the client's requests end now (its session is closing)
        });
        discard = () -> dropped.invoke(Boolean.TRUE);
        resizeWhileItMayChange();
        published();
        pull(in);
      }

      @Override public void onTimer(Object key) {
        if (RESIZE_TIMER.equals(key)) {
          output.buffer().resize(System.currentTimeMillis(), replyBuffers);
          published();
          resizeWhileItMayChange();
        } else {
          overLimit();
        }
      }

      /** The reply buffer's cron runs only while it can change the buffer's size (idle small buffers cost nothing). */
      private void resizeWhileItMayChange() {
        boolean needed = output.buffer().mayResize();
        if (needed == resizing) return;
        resizing = needed;
        if (needed) scheduleWithFixedDelay(RESIZE_TIMER, RESIZE_PERIOD, RESIZE_PERIOD);
        else cancelTimer(RESIZE_TIMER);
      }

      private void pullIfRoom() {
        if (!isClosed(in) && !hasBeenPulled(in)
            && (discarding || output.memory() < OutputLimits.queueCap(limits.of(session)))) {
          pull(in);
        }
      }

      private void published() {
        session.outputBufferLength = output.bufferLength();
        session.outputListLength = output.listLength();
        session.outputMemory = output.memory();
        session.replyBufferSize = output.buffer().size();
        session.replyBufferPeak = output.buffer().peak();
        if (output.memory() > 0) peak.note(output.memory(), System.currentTimeMillis());
      }

      /** Closes the client when it is over its limit, as Redis's closeClientOnOutputBufferLimitReached. */
      private boolean overLimit() {
        OutputBufferLimit limit = limits.of(session);
        if (!tracker.over(limit, output.memory(), System.currentTimeMillis())) {
          // While above the soft limit, look again each second: its time may run out with nothing new queued.
          if (tracker.aboveSoft() != timerOn) {
            timerOn = tracker.aboveSoft();
            if (timerOn) scheduleWithFixedDelay(SOFT_LIMIT_TIMER, Duration.ofSeconds(1), Duration.ofSeconds(1));
            else cancelTimer(SOFT_LIMIT_TIMER);
          }
          return false;
        }
        LOG.warn("Client {} scheduled to be closed ASAP for overcoming of output buffer limits.",
            describe.apply(session));
        session.closeRequested = true;
        closeNow();
        return true;
      }

      /**
       * Ends the connection without what is queued. While the socket has not taken the last write (the client
       * does not read), a plain completion would wait for it (the stages downstream hold it, Akka's TCP connection
       * flushes before closing); failing the stream aborts the connection at once.
       */
      private void closeNow() {
        if (output.writing() == 0) completeStage();
        else failStage(new ClientClosed());
      }

      @Override public void postStop() {
        session.outputBufferLength = 0;
        session.outputListLength = 0;
        session.outputMemory = 0;
      }
    };
  }
}
