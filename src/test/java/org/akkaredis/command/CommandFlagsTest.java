package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandFlagsTest {

  @Test
  void answersContainsAsTheNamesDoAndKeepsTheirOrder() {
    List<String> names = List.of("write", "denyoom", "fast");
    List<String> flags = CommandFlags.of(names);
    assertEquals(names, flags);
    assertEquals(names.hashCode(), flags.hashCode());
    assertEquals("[write, denyoom, fast]", flags.toString());
    assertTrue(flags.contains("write"));
    assertTrue(flags.contains(new String("denyoom".toCharArray())));
    assertFalse(flags.contains("readonly"));
    assertFalse(flags.contains("a flag no command has"));
    assertFalse(flags.contains(null));
    assertFalse(flags.contains(42));
    assertSame(flags, CommandFlags.of(flags));
  }

  @Test
  void aNameOfAnotherListIsNotInThisOne() {
    List<String> readonly = CommandFlags.of(List.of("readonly", "fast"));
    List<String> write = CommandFlags.of(List.of("write"));
    assertFalse(readonly.contains("write"));
    assertFalse(write.contains("readonly"));
    assertTrue(CommandFlags.of(List.of()).isEmpty());
  }

  @Test
  void pastSixtyFourNamesItStillAnswersEveryOne() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 80; i++) many.add("flag-of-the-test-" + i);
    List<String> flags = CommandFlags.of(many);
    for (String name : many) assertTrue(flags.contains(name), name);
    assertFalse(flags.contains("flag-of-the-test-80"));
    assertTrue(CommandFlags.of(List.of("write")).contains("write"));
  }

  @Test
  void theCatalogsCommandsAnswerTheirOwnFlags() {
    CommandCatalog catalog = CommandCatalog.redis70();
    CommandMetadata set = catalog.get("set");
    assertTrue(set.flags().contains("write"));
    assertTrue(set.flags().contains("denyoom"));
    assertFalse(set.flags().contains("readonly"));
    CommandMetadata get = catalog.get("get");
    assertFalse(get.flags().contains("write"));
    assertTrue(get.flags().contains("readonly"));
    assertTrue(get.flags().contains("fast"));
    for (CommandMetadata command : catalog.all()) {
      for (String flag : command.flags()) assertTrue(command.flags().contains(flag), command.name() + " " + flag);
    }
  }
}
