package org.akkaredis.command;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** INFO's text, for INFO itself and for readers outside the command path (the metrics endpoint). */
public final class InfoText {
  private InfoText() {}

  /** The text of INFO everything, as a client gets it, without counting as a command. */
  public static CompletionStage<String> everything(NodeContext ctx) {
    return of(ctx, InfoSections.select(new byte[][] {"info".getBytes(), "everything".getBytes()}));
  }

  /** The text of the selected sections, with the ranges' figures gathered when the sections need them. */
  static CompletionStage<String> of(NodeContext ctx, Set<String> sections) {
    CompletionStage<List<InfoSections.RangeFigures>> figures = InfoSections.needsKeyspace(sections)
        ? ctx.keyspace().onAll(InfoSections::figures)
        : CompletableFuture.completedFuture(List.of());
    return figures.thenApply(ranges -> InfoSections.build(sections, ctx, ranges, System.currentTimeMillis()));
  }
}
